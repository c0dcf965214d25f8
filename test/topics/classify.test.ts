// Scoring: title over abstract, no topic from one passing mention, length normalised, "other", deterministic order.
import { describe, expect, it } from 'vitest';
import { OTHER_TOPIC } from '../../src/domain.ts';
import { ABSTRACT_WORDS, MAX_TOPICS, THRESHOLD, classify } from '../../src/topics/classify.ts';
import { compileTopics } from '../../src/topics/rules.ts';

const topics = compileTopics(
  `
topics:
  - slug: efficiency
    name: Efficiency
    keywords: [quantization, pruning, distillation, [large language model, language model, LLM]]
  - slug: rl
    name: RL
    keywords: [reinforcement learning, reward, policy gradient]
  - slug: vision
    name: Vision
    keywords: [object detection, segmentation, image classification]
  - slug: speech
    name: Speech
    keywords: [speech recognition, speaker, audio]
`,
  't.yaml',
);
const run = (title: string, abstract = '') => classify({ title, abstract }, topics);
/** Filler words that match nothing, for abstracts of a given length. */
const filler = (words: number) => Array.from({ length: words }, (_, i) => `word${i % 50}`).join(' ');

describe('scoring', () => {
  it('gives a title hit 3 points and an abstract hit 1, +0.5 for each repeat up to 3', () => {
    expect(run('Quantization Everywhere').topics).toEqual([{ slug: 'efficiency', score: 3, keywords: ['quantization'] }]);
    expect(run('Everywhere', 'Quantization helps. Pruning too.').topics).toEqual([]);
    expect(run('Everywhere', 'Quantization helps. Pruning too. Distillation also.').topics[0]).toMatchObject({ slug: 'efficiency', score: 3 });
    // quantization ×3 = 2, pruning ×2 = 1.5.
    expect(run('Everywhere', 'Quantization, quantized, quantizing. Pruning, pruned.').topics[0]).toMatchObject({ score: 3.5 });
    // An abstract that keeps returning to one subject is about it: ×5 reaches a title's 3 points, and no more.
    expect(run('Everywhere', 'Quantization. Quantized. Quantizing. Quantize. Quantizer.').topics[0]).toMatchObject({ slug: 'efficiency', score: 3 });
    expect(run('Everywhere', 'Quantization. '.repeat(12)).topics[0]).toMatchObject({ slug: 'efficiency', score: 3 });
    expect(run('Everywhere', 'Quantization. Quantized. Quantizing. Quantize.').topics).toEqual([]);
    expect(run('Quantization Everywhere', 'We quantize.').topics[0]).toMatchObject({ score: 4 });
  });

  it('weighs the title clearly over the abstract', () => {
    const c = run('Object Detection for Robots', 'We use reinforcement learning, with a reward, and reinforcement learning again.');
    // rl has 2.5 points from the abstract (reinforcement learning twice, reward once): below the threshold.
    expect(c.topics.map((t) => [t.slug, t.score])).toEqual([['vision', THRESHOLD]]);
  });

  it('never takes one passing mention in a long abstract, however often it repeats', () => {
    const abstract = `${filler(300)} We also try quantization. ${filler(300)} Quantization, once more, and quantization.`;
    expect(run('A Study of Things', abstract).primary).toBe(OTHER_TOPIC);
  });

  it('normalises for length: the same mentions count less in a much longer abstract', () => {
    const mentions = 'Quantization and pruning and distillation.';
    const short = run('A Study', `${mentions} ${filler(ABSTRACT_WORDS - 10)}`);
    const long = run('A Study', `${mentions} ${filler(ABSTRACT_WORDS * 4)}`);
    expect(short.topics[0]).toMatchObject({ slug: 'efficiency', score: 3 });
    expect(long.primary).toBe(OTHER_TOPIC); // 3 points × √(250/1000) = 1.5
  });

  it('puts a paper with no topic in "other" with no topics, never drops it', () => {
    expect(run('On the Flora of Lake Victoria', 'Plants, plants and more plants.')).toEqual({ primary: OTHER_TOPIC, topics: [] });
    expect(run('', '')).toEqual({ primary: OTHER_TOPIC, topics: [] });
  });

  it('orders topics by score, primary first, caps "also in", and lists keywords strongest first', () => {
    const c = run(
      'Audio, Segmentation and Reinforcement Learning for Pruning',
      'Pruning, pruning. We use reinforcement learning with a reward. Quantization too.',
    );
    expect(c.primary).toBe('efficiency');
    expect(c.topics.map((t) => t.slug)).toEqual(['efficiency', 'rl', 'vision']);
    expect(c.topics).toHaveLength(MAX_TOPICS);
    expect(c.topics[0]!.keywords).toEqual(['pruning', 'quantization']);
    expect(c.topics[0]!.score).toBeGreaterThan(c.topics[1]!.score);
  });

  it('breaks ties by file order and gives the same answer every time', () => {
    const c = run('Segmentation of Speaker Turns');
    expect(c.topics.map((t) => [t.slug, t.score])).toEqual([
      ['vision', 3],
      ['speech', 3],
    ]);
    const d = run('Speaker Turns and Segmentation');
    expect(d.primary).toBe('vision');
    for (let i = 0; i < 3; i++) expect(run('Segmentation of Speaker Turns')).toEqual(c);
  });

  it('counts words once per topic: a longer keyword claims its words from a shorter one', () => {
    // "large language model" and "language model" are synonyms here; the phrase holds both spellings once.
    expect(run('Large Language Models').topics[0]).toMatchObject({ score: 3, keywords: ['large language model'] });
  });

  it('classifies the same text the same way whatever was classified before (the word memo is pure)', () => {
    const paper = { title: 'Pruning LLMs', abstract: 'Reinforcement learning with reward.' };
    const before = classify(paper, topics);
    for (let i = 0; i < 2000; i++) classify({ title: `Title ${i} quantized`, abstract: `abstract${i} speaker${i} audio` }, topics);
    expect(classify(paper, topics)).toEqual(before);
  });

  it('handles punctuation, LaTeX, non-Latin text and odd characters without matching across them', () => {
    expect(run('Object—Detection').primary).toBe('vision');
    expect(run('Object detection in $\\mathbb{R}^3$ with 日本語 text ✓').primary).toBe('vision');
    expect(run('Objectdetection').primary).toBe(OTHER_TOPIC);
    expect(run('Détection d’objets', 'Segmentation sémantique.').primary).toBe(OTHER_TOPIC);
  });
});
