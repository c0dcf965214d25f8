// Trending keywords: phrases far more common in an edition than in history; stop words and boilerplate never.
import { describe, expect, it } from 'vitest';
import { compileTopics } from '../../src/topics/rules.ts';
import { MIN_HISTORY, buildBackground, trendingKeywords, uncoveredKeywords } from '../../src/topics/trending.ts';

const doc = (title: string, abstract = '') => ({ title, abstract });
const history = Array.from({ length: 60 }, (_, i) =>
  doc(
    `Study ${i} of image classification`,
    `We propose a novel method for image classification with convolutional networks and report results on benchmark ${i}. ` +
      `Our approach improves accuracy over existing baselines.`,
  ),
);
const background = buildBackground(history);

const edition = [
  doc('State space duality for sequence models', 'We revisit state space duality and the results show that it is fast.'),
  doc('Faster state space duality', 'State space duality kernels on GPUs; image classification as a side task.'),
  doc('Image classification again', 'We study image classification with convolutional networks.'),
  doc('State space duality meets attention', 'A note on state space duality. We propose a novel approach.'),
  doc('Tokenizer-free models', 'Byte-level tokenizer-free models are proposed.'),
  doc('Scaling tokenizer-free models', 'We scale tokenizer-free language models.'),
];

describe('trending keywords', () => {
  const trending = trendingKeywords(edition, background);
  const phrases = trending.map((k) => k.phrase);

  it('ranks a phrase repeated in the edition but rare in history first, as the whole phrase', () => {
    expect(trending[0]).toMatchObject({ phrase: 'state space duality', count: 3 });
    expect(trending[0]!.score).toBeGreaterThan(0);
    // Its parts, equally supported, are not listed again.
    for (const part of ['state space', 'space duality', 'state', 'duality']) expect(phrases).not.toContain(part);
    expect(phrases).toContain('tokenizer-free models');
  });

  it('keeps a four-word idea whole', () => {
    const mllm = [
      doc('Multimodal large language models see', 'Multimodal large language models read charts.'),
      doc('Tuning multimodal large language models', 'We tune multimodal large language models cheaply.'),
      doc('Multimodal large language models in the wild', 'An audit.'),
    ];
    const top = trendingKeywords(mllm, background).map((k) => k.phrase);
    expect(top[0]).toBe('multimodal large language models');
    expect(top).not.toContain('multimodal large language');
  });

  it('ranks phrases common in the history low or not at all', () => {
    expect(phrases).not.toContain('image classification');
    expect(phrases).not.toContain('convolutional networks');
  });

  it('never shows stop words or boilerplate, alone or at the edge of a phrase', () => {
    const stop = /^(we|a|the|that|it|is|on|of|and|as|propose|proposed|novel|approach|results|show|method|models?)$/i;
    for (const k of trending) {
      const words = k.phrase.split(' ');
      expect(words[0], k.phrase).not.toMatch(stop);
      expect(words.at(-1), k.phrase).not.toMatch(/^(we|a|the|that|it|is|on|of|and|as|propose|proposed|novel|approach|results|show)$/i);
      if (words.length === 1) expect(k.phrase).not.toMatch(stop);
    }
  });

  it('needs a phrase in at least two papers of the edition', () => {
    const once = trendingKeywords([doc('Quantum annealing for sampling'), doc('Something else entirely'), doc('And a third')], background);
    expect(once.map((k) => k.phrase)).not.toContain('quantum annealing');
    const twice = trendingKeywords([doc('Quantum annealing for sampling'), doc('Quantum annealing at scale')], background);
    expect(twice[0]).toMatchObject({ phrase: 'quantum annealing', count: 2 });
  });

  it('orders by score, then phrase, and honours the limit', () => {
    for (let i = 1; i < trending.length; i++) {
      const [a, b] = [trending[i - 1]!, trending[i]!];
      expect(a.score > b.score || (a.score === b.score && a.phrase < b.phrase), `${a.phrase} before ${b.phrase}`).toBe(true);
    }
    expect(trendingKeywords(edition, background, 1)).toEqual(trending.slice(0, 1));
    expect(trendingKeywords(edition, background, 0)).toEqual([]);
  });

  it('reuses one background for many editions with the same result as rebuilding it', () => {
    const again = trendingKeywords(edition, buildBackground(history));
    expect(again).toEqual(trending);
    expect(trendingKeywords(edition.slice(4), background)[0]!.phrase).toBe('tokenizer-free models');
  });

  it('merges inflections and shows the spelling papers use most', () => {
    const t = trendingKeywords([doc('Diffusion Models for Cats', 'Diffusion models work.'), doc('A diffusion model for dogs', 'The diffusion model wins.')], background);
    expect(t[0]).toMatchObject({ count: 2 });
    expect(['diffusion model', 'diffusion models']).toContain(t[0]!.phrase);
  });

  it('stays quiet without enough history', () => {
    expect(trendingKeywords(edition, buildBackground(history.slice(0, MIN_HISTORY - 1)))).toEqual([]);
    expect(trendingKeywords([], background)).toEqual([]);
  });

  it('names the trending phrases that no topic rule covers', () => {
    const topics = compileTopics('topics:\n  - slug: ssm\n    name: SSM\n    keywords: [state space, SSM]\n', 't.yaml');
    const uncovered = uncoveredKeywords(trending, topics).map((k) => k.phrase);
    expect(uncovered).toContain('tokenizer-free models');
    expect(uncovered).not.toContain('state space duality');
    // Acronyms keep their case in trending phrases, so the case-sensitive rules judge them right.
    expect(uncoveredKeywords([{ phrase: 'ssm layers', count: 2, score: 1 }, { phrase: 'SSM layers', count: 2, score: 1 }], topics)).toEqual([
      { phrase: 'ssm layers', count: 2, score: 1 },
    ]);
  });
});
