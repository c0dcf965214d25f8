// Trending keywords: phrases far more common in an edition than in history; stop words and boilerplate never.
import { describe, expect, it } from 'vitest';
import { buildBackground, ngrams, trendingKeywords, uncoveredKeywords } from '../../src/topics/trending.ts';
import { compileTopics } from '../../src/topics/rules.ts';

const doc = (title: string, abstract = '') => ({ title, abstract });
const history = Array.from({ length: 60 }, (_, i) =>
  doc(`Study ${i} of image classification`, `We propose a method for image classification and report results on benchmarks ${i}.`),
);

describe('trending keywords', () => {
  it('ranks a phrase repeated in the edition but rare in history first, as a phrase', () => {
    const edition = [
      doc('State space duality for sequence models', 'We revisit state space duality in detail.'),
      doc('Faster state space duality', 'State space duality kernels on GPUs.'),
      doc('Image classification again', 'We study image classification.'),
      doc('State space duality meets attention', 'A note.'),
    ];
    const t = trendingKeywords(edition, buildBackground(history));
    expect(t[0]).toMatchObject({ phrase: 'state space duality', count: 3 });
    // Its parts with the same support are not listed again.
    expect(t.map((k) => k.phrase)).not.toContain('state space');
    // Common in history: not trending.
    expect(t.map((k) => k.phrase)).not.toContain('image classification');
  });

  it('never shows stop words or boilerplate, and needs two papers', () => {
    const grams = [...ngrams('We propose a novel method. The results show that it is state-of-the-art.')];
    for (const g of grams) expect(g.split(' ')[0]).not.toMatch(/^(we|a|the|that|it|is|propose|novel|results|show)$/);
    const once = trendingKeywords([doc('Quantum annealing for sampling'), doc('Something else entirely')], buildBackground(history));
    expect(once.map((k) => k.phrase)).not.toContain('quantum annealing');
  });

  it('stays quiet without enough history, and names what topics.yaml does not cover', () => {
    expect(trendingKeywords([doc('A b c'), doc('A b c')], buildBackground([]))).toEqual([]);
    const topics = compileTopics('topics:\n  - slug: ssm\n    name: SSM\n    keywords: [state space]\n', 't.yaml');
    const uncovered = uncoveredKeywords([{ phrase: 'state space duality', count: 3, score: 1 }, { phrase: 'tokenizer-free', count: 2, score: 1 }], topics);
    expect(uncovered.map((k) => k.phrase)).toEqual(['tokenizer-free']);
  });
});
