// `paperboy topics` output: the per-topic report (JSON and text) and the explanation of one paper.
import { describe, expect, it } from 'vitest';
import { compileTopics } from '../../src/topics/rules.ts';
import { explainPaper, formatExplanation, formatTopicsReport, topicsReport } from '../../src/topics/report.ts';

const topics = compileTopics(
  `
topics:
  - slug: efficiency
    name: Efficiency & compression
    description: Smaller, faster models.
    keywords: [quantization, pruning, LoRA]
  - slug: reinforcement-learning
    name: Reinforcement learning
    description: Agents that learn from reward.
    keywords: [reinforcement learning, reward]
    exclude: [multi-agent]
  - slug: vision
    name: Vision
    keywords: [segmentation, object detection]
`,
  'topics.yaml',
);

const papers = [
  { id: '2401.00001', title: 'Quantization of Transformers', abstract: 'We quantize.' },
  { id: '2401.00002', title: 'Pruning and Quantization', abstract: 'Pruning, quantization and LoRA.' },
  { id: '2401.00003', title: 'LoRA for Object Detection', abstract: 'Object detection with LoRA and pruning.' },
  { id: '2401.00004', title: 'Reinforcement Learning with Sparse Reward', abstract: 'A reward.' },
  { id: '2401.00005', title: 'Quantized Pruning', abstract: '' },
  { id: '2401.00006', title: 'LoRA Again', abstract: '' },
  { id: 't-abc', title: 'The Flora of Lake Victoria', abstract: 'Plants.' },
];
const trending = [
  { phrase: 'quantization', count: 3, score: 0.9 },
  { phrase: 'lake victoria', count: 2, score: 0.5 },
];

describe('topicsReport', () => {
  const r = topicsReport(papers, topics, trending);

  it('counts primary topics and "also in" per topic, in file order, with up to 3 examples (clearest first)', () => {
    expect(r.papers).toBe(7);
    expect(r.topics.map((t) => [t.slug, t.count, t.alsoIn])).toEqual([
      ['efficiency', 5, 0],
      ['reinforcement-learning', 1, 0],
      ['vision', 0, 1],
    ]);
    const eff = r.topics[0]!;
    expect(eff).toMatchObject({ name: 'Efficiency & compression', description: 'Smaller, faster models.', share: 0.714 });
    expect(eff.examples).toHaveLength(3);
    expect(eff.examples[0]).toBe('Pruning and Quantization'); // the highest score
    expect(r.topics[2]!.examples).toEqual([]);
  });

  it('keeps papers without a topic in an "other" group with ids and titles', () => {
    expect(r.other).toEqual({ count: 1, share: 0.143, examples: [{ id: 't-abc', title: 'The Flora of Lake Victoria' }] });
  });

  it('carries the trending phrases and names those no topic covers', () => {
    expect(r.trending).toEqual(trending);
    expect(r.uncovered).toEqual(['lake victoria']);
  });

  it('is plain JSON', () => {
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });

  it('formats an aligned table with examples under each topic', () => {
    const text = formatTopicsReport(r);
    const lines = text.split('\n');
    expect(lines[0]).toBe('7 papers in 3 topics. papers: primary topic; +also: listed there as well.');
    const rows = lines.filter((l) => /^(topic|efficiency|reinforcement-learning|vision|other)\s/.test(l));
    expect(rows).toHaveLength(5);
    // The name column starts at the same place on every row.
    const col = rows[0]!.indexOf('name');
    expect(rows.map((l) => l.slice(col))).toEqual(['name', 'Efficiency & compression', 'Reinforcement learning', 'Vision', 'no topic matched']);
    expect(text).toMatch(/^efficiency\s+5\s+71\.4%\s+\+0\s+Efficiency & compression$/m);
    expect(text).toContain('    · Pruning and Quantization');
    expect(text).toMatch(/^other\s+1\s+14\.3%\s+no topic matched$/m);
    expect(text).toContain('    · t-abc  The Flora of Lake Victoria');
    expect(text).toContain('trending: quantization (3), lake victoria (2)');
    expect(text).toContain("trending but in no topic's keywords: lake victoria");
    expect(formatTopicsReport(topicsReport([], topics, []))).toContain('trending: none');
  });
});

describe('explainPaper', () => {
  const paper = {
    title: 'Multi-Agent Reinforcement Learning with LoRA',
    abstract: 'We apply LoRA adapters and pruning, then more pruning, to reinforcement learning with a reward.',
  };
  const x = explainPaper(paper, topics);

  it('names the primary, the assigned topics and the rule', () => {
    expect(x).toMatchObject({ primary: 'efficiency', topics: ['efficiency'], threshold: 3, maxTopics: 3 });
    expect(x.points).toEqual({ title: 3, abstract: 1, abstractRepeat: 0.5, abstractMax: 3 });
    expect(x.abstractWords).toBe(15);
    expect(x.abstractScale).toBe(1);
  });

  it('lists every topic that scored or was excluded, with title and abstract counts per keyword', () => {
    expect(x.candidates.map((c) => [c.slug, c.score, c.status])).toEqual([
      ['efficiency', 5.5, 'primary'],
      ['reinforcement-learning', 0, 'excluded'],
    ]);
    const eff = x.candidates[0]!;
    expect(eff.keywords).toEqual([
      { keyword: 'LoRA', matched: ['LoRA'], title: 1, abstract: 1, points: 4 },
      { keyword: 'pruning', matched: ['pruning'], title: 0, abstract: 2, points: 1.5 },
    ]);
    const rl = x.candidates[1]!;
    expect(rl.excludedBy).toEqual(['multi-agent']);
    expect(rl.keywords.map((k) => [k.keyword, k.title, k.abstract])).toEqual([
      ['reinforcement learning', 1, 1],
      ['reward', 0, 1],
    ]);
  });

  it('marks topics below the threshold', () => {
    const y = explainPaper({ title: 'A Study', abstract: 'Segmentation matters.' }, topics);
    expect(y.primary).toBe('other');
    expect(y.candidates).toEqual([expect.objectContaining({ slug: 'vision', score: 1, status: 'below-threshold' })]);
  });

  it('formats the explanation for people', () => {
    const text = formatExplanation(x);
    expect(text.split('\n')[0]).toBe('primary: efficiency');
    expect(text).toContain('a topic needs 3 points: a keyword in the title gives 3, in the abstract 1 (+0.5 per repeat, up to 3); at most 3 topics');
    expect(text).toMatch(/^ {2}efficiency\s+5\.5 {2}primary$/m);
    expect(text).toMatch(/^ {2}reinforcement-learning\s+0 {2}excluded by multi-agent$/m);
    expect(text).toMatch(/LoRA\s+title ×1 {2}abstract ×1\s+4$/m);
    expect(text).toMatch(/pruning\s+title ×0 {2}abstract ×2\s+1\.5$/m);
    expect(formatExplanation(explainPaper({ title: 'Flora', abstract: '' }, topics))).toContain('no keyword of any topic matched, so the paper is in "other"');
    const long = explainPaper({ title: 'Pruning', abstract: 'word '.repeat(1000) }, topics);
    expect(formatExplanation(long)).toContain('this abstract has 1000 words (over 250), so its points count ×0.5');
  });
});
