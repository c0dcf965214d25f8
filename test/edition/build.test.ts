// planEdition: the edition's order, which the landing page's "top papers" and every digest section start from.
import { describe, expect, it } from 'vitest';
import type { Classification, Paper } from '../../src/domain.ts';
import { planEdition } from '../../src/edition/build.ts';
import { paper } from '../render/factory.ts';

const scores: Record<string, number> = { 'Give Me BF16 or Give Me Death': 3, '1.4 Million Open-Source Distilled Reasoning Traces': 3.5, 'A Strong Reasoning Model': 12 };
const classify = (p: Paper): Classification => {
  const score = scores[p.title] ?? 4;
  return { primary: 'llm', topics: [{ slug: 'llm', score, keywords: ['reasoning'] }] };
};

describe('planEdition', () => {
  it('without upvotes (text dumps) puts strong matches first, then listing order, never the alphabet', () => {
    const papers = [
      paper({ title: 'Zebra-Llama: Hybrid Models', seedFile: '001.txt', line: 30 }),
      paper({ title: 'Give Me BF16 or Give Me Death', seedFile: '001.txt', line: 90 }),
      paper({ title: 'Yet Another Benchmark', seedFile: '000.txt', line: 200 }),
      paper({ title: '1.4 Million Open-Source Distilled Reasoning Traces', seedFile: '001.txt', line: 120 }),
      paper({ title: 'A Strong Reasoning Model', seedFile: '001.txt', line: 400 }),
    ];
    const e = planEdition({ id: '2026-11-24', createdAt: '2026-11-24T06:00:00Z', papers, classify, trending: [], emptyReason: '' });
    expect(e.papers.map((x) => x.paper.title)).toEqual([
      'A Strong Reasoning Model',
      'Yet Another Benchmark',
      'Zebra-Llama: Hybrid Models',
      '1.4 Million Open-Source Distilled Reasoning Traces',
      'Give Me BF16 or Give Me Death',
    ]);
  });

  it('upvotes, when known, come first; a paper with upvotes goes before one without', () => {
    const papers = [paper({ title: 'no votes', line: 1 }), paper({ title: 'few', upvotes: 2, line: 5 }), paper({ title: 'many', upvotes: 50, line: 9 })];
    const e = planEdition({ id: '2026-11-24', createdAt: '2026-11-24T06:00:00Z', papers, classify: () => ({ primary: 'other', topics: [] }), trending: [], emptyReason: '' });
    expect(e.papers.map((x) => x.paper.title)).toEqual(['many', 'few', 'no votes']);
  });
});
