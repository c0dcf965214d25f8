// buildDigest: weekly union without duplicates, selection cut, the Other section, ordering, budgets; selectionKey.
import { describe, expect, it } from 'vitest';
import type { Selection } from '../../src/domain.ts';
import { buildDigest, selectionKey } from '../../src/edition/digest.ts';
import { TOPICS, edition, ep, paper } from '../render/factory.ts';

const all: Selection = { topics: null, cadence: 'daily' };
const slugs = (d: ReturnType<typeof buildDigest>) => d.sections.map((s) => s.topic.slug);
const titles = (d: ReturnType<typeof buildDigest>, slug: string) => d.sections.find((s) => s.topic.slug === slug)!.papers.map((e) => e.paper.title);

describe('buildDigest', () => {
  it('a weekly digest is the union of its editions, each paper once, newest copy winning', () => {
    const a = paper({ title: 'A', arxivId: '2411.00001', upvotes: 3 });
    const b = paper({ title: 'B', arxivId: '2411.00002', upvotes: 5 });
    const aAgain = { ...a, upvotes: 40 };
    const mon = edition('2026-11-23', [ep(a, ['llm', ['LLM']]), ep(b, ['llm', ['LLM']])]);
    const tue = edition('2026-11-24', [ep(aAgain, ['llm', ['LLM']])]);
    const d = buildDigest([tue, mon], { topics: null, cadence: 'weekly' }, TOPICS);
    expect(d.editionIds).toEqual(['2026-11-23', '2026-11-24']);
    expect(d.date).toBe('2026-11-24');
    expect(d.paperCount).toBe(2);
    const llm = d.sections.find((s) => s.topic.slug === 'llm')!;
    expect(llm.papers.map((e) => [e.paper.title, e.paper.upvotes])).toEqual([
      ['A', 40],
      ['B', 5],
    ]);
  });

  it('sections follow the topics file, not the selection order; unselected topics are cut', () => {
    const p = paper({ title: 'V', upvotes: 1 });
    const d = buildDigest([edition('2026-11-24', [ep(p, ['vision', ['image']])])], { topics: ['safety', 'vision', 'llm'], cadence: 'daily' }, TOPICS);
    expect(slugs(d)).toEqual(['llm', 'vision', 'safety']);
    expect(d.sections.map((s) => s.total)).toEqual([0, 1, 0]);
  });

  it('a paper goes to its primary topic if selected, else its first selected also-in topic, else nowhere', () => {
    const both = paper({ title: 'both' });
    const alsoOnly = paper({ title: 'also' });
    const neither = paper({ title: 'neither' });
    const e = edition('2026-11-24', [
      ep(both, ['llm', ['LLM']], ['efficiency', ['LoRA']]),
      ep(alsoOnly, ['vision', ['image']], ['rl', ['agent']], ['efficiency', ['pruning']]),
      ep(neither, ['audio', ['speech']]),
    ]);
    const d = buildDigest([e], { topics: ['efficiency', 'llm', 'rl'], cadence: 'daily' }, TOPICS);
    expect(titles(d, 'llm')).toEqual(['both']);
    expect(titles(d, 'rl')).toEqual(['also']);
    expect(titles(d, 'efficiency')).toEqual([]);
    expect(d.paperCount).toBe(2);
  });

  it('adds an Other section for unclassified papers only when the reader takes all topics', () => {
    const e = edition('2026-11-24', [ep(paper({ title: 'lonely' })), ep(paper({ title: 'x' }), ['llm', ['LLM']])]);
    const d = buildDigest([e], all, TOPICS);
    expect(slugs(d)).toEqual([...TOPICS.map((t) => t.slug), 'other']);
    const other = d.sections.at(-1)!;
    expect(other.topic).toMatchObject({ slug: 'other', name: 'Other' });
    expect(other.papers.map((x) => x.paper.title)).toEqual(['lonely']);
    const picky = buildDigest([e], { topics: ['llm'], cadence: 'daily' }, TOPICS);
    expect(slugs(picky)).toEqual(['llm']);
    expect(picky.paperCount).toBe(1);
  });

  it('orders a section by upvotes (unknown last), then title', () => {
    const ps = [
      paper({ title: 'b', upvotes: 5 }),
      paper({ title: 'unknown', upvotes: null }),
      paper({ title: 'a', upvotes: 5 }),
      paper({ title: 'top', upvotes: 90 }),
      paper({ title: 'zero', upvotes: 0 }),
    ];
    const e = { ...edition('2026-11-24', []), status: 'published' as const, papers: ps.map((p) => ep(p, ['llm', ['LLM']])) };
    expect(titles(buildDigest([e], all, TOPICS), 'llm')).toEqual(['top', 'a', 'b', 'zero', 'unknown']);
  });

  it('keeps the top papers per section and counts the rest as more', () => {
    const ps = Array.from({ length: 9 }, (_, i) => ep(paper({ title: `p${i}`, upvotes: 100 - i }), ['llm', ['LLM']]));
    const d = buildDigest([edition('2026-11-24', ps)], all, TOPICS, { perSectionBudget: 4, totalBudget: 100 });
    const llm = d.sections[0]!;
    expect(llm.papers.map((e) => e.paper.title)).toEqual(['p0', 'p1', 'p2', 'p3']);
    expect([llm.more, llm.total]).toEqual([5, 9]);
    expect(d.paperCount).toBe(9);
  });

  it('shares an overall cap fairly: small sections keep everything, big ones are cut, none starves', () => {
    const mk = (slug: string, n: number) => Array.from({ length: n }, (_, i) => ep(paper({ title: `${slug}${i}`, upvotes: n - i }), [slug, ['k']]));
    const e = edition('2026-11-24', [...mk('llm', 20), ...mk('vision', 20), ...mk('rl', 2), ...mk('audio', 20)]);
    const d = buildDigest([e], all, TOPICS, { perSectionBudget: 10, totalBudget: 14 });
    const shown = Object.fromEntries(d.sections.map((s) => [s.topic.slug, s.papers.length]));
    expect(shown).toMatchObject({ llm: 4, vision: 4, rl: 2, audio: 4 });
    expect(d.sections.reduce((n, s) => n + s.papers.length, 0)).toBe(14);
    for (const s of d.sections) expect(s.papers.length + s.more).toBe(s.total);
  });

  it('merges the editions trending phrases', () => {
    const mon = edition('2026-11-23', [ep(paper({ title: 'x' }))], [{ phrase: 'MoE', count: 2, score: 1 }, { phrase: 'RAG', count: 1, score: 5 }]);
    const tue = edition('2026-11-24', [ep(paper({ title: 'y' }))], [{ phrase: 'moe', count: 3, score: 2 }]);
    const d = buildDigest([mon, tue], { topics: null, cadence: 'weekly' }, TOPICS);
    expect(d.trending).toEqual([
      { phrase: 'RAG', count: 1, score: 5 },
      { phrase: 'MoE', count: 5, score: 2 },
    ]);
  });

  it('is total on nothing: no editions give an empty digest', () => {
    const d = buildDigest([], { topics: ['llm'], cadence: 'daily' }, TOPICS);
    expect(d).toMatchObject({ editionIds: [], paperCount: 0, trending: [] });
    expect(d.sections.map((s) => s.total)).toEqual([0]);
  });
});

describe('selectionKey', () => {
  it('is equal for equal selections whatever the topic order or duplicates', () => {
    expect(selectionKey({ topics: ['vision', 'llm', 'llm'], cadence: 'daily' })).toBe(selectionKey({ topics: ['llm', 'vision'], cadence: 'daily' }));
  });
  it('tells cadences, topic sets and all-topics apart', () => {
    const keys = new Set([
      selectionKey({ topics: ['llm'], cadence: 'daily' }),
      selectionKey({ topics: ['llm'], cadence: 'weekly' }),
      selectionKey({ topics: ['llm', 'rl'], cadence: 'daily' }),
      selectionKey({ topics: null, cadence: 'daily' }),
      selectionKey({ topics: [], cadence: 'daily' }),
    ]);
    expect(keys.size).toBe(5);
  });
});
