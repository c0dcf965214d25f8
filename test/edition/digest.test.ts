// buildDigest: weekly union without duplicates, selection cut, the Other section, ordering, budgets; selectionKey.
import { describe, expect, it } from 'vitest';
import type { Selection } from '../../src/domain.ts';
import { buildDigest, cardCount, selectionKey, shrinkDigest } from '../../src/edition/digest.ts';
import { parseTopicList } from '../../src/subscribe/import.ts';
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

  it('a reader who chose a topic before it was renamed (topics.yaml formerly) keeps it', () => {
    const p = paper({ title: 'V', upvotes: 1 });
    const renamed = TOPICS.map((t) => (t.slug === 'vision' ? { ...t, slug: 'vision-now', formerly: ['vision'] } : t));
    const e = edition('2026-11-24', [{ ...ep(p, ['vision', ['image']]), classification: { primary: 'vision-now', topics: [{ slug: 'vision-now', score: 3, keywords: ['image'] }] } }]);
    const d = buildDigest([e], { topics: ['vision'], cadence: 'daily' }, renamed);
    expect(slugs(d)).toEqual(['vision-now']);
    expect(titles(d, 'vision-now')).toEqual(['V']);
    expect(parseTopicList('vision;llm', renamed)).toEqual(['llm', 'vision-now']);
    expect(() => parseTopicList('nope', renamed)).toThrow(/unknown topic\(s\) nope/);
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

  it('orders papers without upvotes by topic score, then listing order (seed file, line), title last', () => {
    const at = (title: string, score: number, seedFile: string, line: number) =>
      ({ paper: paper({ title, seedFile, line }), classification: { primary: 'llm', topics: [{ slug: 'llm', score, keywords: ['LLM'] }] } });
    const e = edition('2026-11-24', [
      at('A first by title', 3, 'b.txt', 1),
      at('Strong match', 9, 'b.txt', 40),
      at('Listed first', 3, 'a.txt', 7),
      at('Listed second', 3, 'a.txt', 12),
      at('B same place', 3, 'b.txt', 1),
    ]);
    expect(titles(buildDigest([e], all, TOPICS), 'llm')).toEqual(['Strong match', 'Listed first', 'Listed second', 'A first by title', 'B same place']);
  });

  it('a section is ordered by the score for its own topic, not the paper primary one', () => {
    const p = (title: string, llm: number, rl: number) =>
      ({ paper: paper({ title }), classification: { primary: 'rl', topics: [{ slug: 'rl', score: rl, keywords: ['agent'] }, { slug: 'llm', score: llm, keywords: ['LLM'] }] } });
    const e = edition('2026-11-24', [p('weak in llm', 3, 9), p('strong in llm', 8, 8.5)]);
    expect(titles(buildDigest([e], { topics: ['llm'], cadence: 'daily' }, TOPICS), 'llm')).toEqual(['strong in llm', 'weak in llm']);
  });

  it('does not cut an edition that fits the total budget, however big one section is', () => {
    const ps = [
      ...Array.from({ length: 10 }, (_, i) => ep(paper({ title: `llm${i}`, upvotes: 100 - i }), ['llm', ['LLM']])),
      ep(paper({ title: 'v' }), ['vision', ['image']]),
      ep(paper({ title: 'o' })),
    ];
    const d = buildDigest([edition('2026-11-24', ps)], all, TOPICS);
    expect(d.sections.map((s) => s.more)).toEqual(d.sections.map(() => 0));
    expect(titles(d, 'llm')).toHaveLength(10);
  });

  it('over the total budget, keeps each section to its share and gives what small ones leave to the big ones', () => {
    const mk = (slug: string, n: number) => Array.from({ length: n }, (_, i) => ep(paper({ title: `${slug}${i}`, upvotes: n - i }), [slug, ['k']]));
    const d = buildDigest([edition('2026-11-24', [...mk('llm', 30), ...mk('vision', 2), ...mk('rl', 1)])], all, TOPICS, { perSectionBudget: 6, totalBudget: 20 });
    const shown = Object.fromEntries(d.sections.map((s) => [s.topic.slug, [s.papers.length, s.more]]));
    expect(shown).toMatchObject({ llm: [17, 13], vision: [2, 0], rl: [1, 0] });
    expect(titles(d, 'llm').slice(0, 3)).toEqual(['llm0', 'llm1', 'llm2']);
    expect(d.paperCount).toBe(33);
  });

  it('shrinkDigest cuts to fewer cards from the biggest sections, keeping the top papers and the counts', () => {
    const mk = (slug: string, n: number) => Array.from({ length: n }, (_, i) => ep(paper({ title: `${slug}${i}`, upvotes: n - i }), [slug, ['k']]));
    const d = buildDigest([edition('2026-11-24', [...mk('llm', 20), ...mk('vision', 3), ...mk('rl', 1)])], all, TOPICS);
    expect(cardCount(d)).toBe(24);
    const cut = shrinkDigest(d, 10);
    expect(cardCount(cut)).toBe(10);
    expect(cut.sections.map((s) => [s.topic.slug, s.papers.length, s.more]).filter(([, n]) => n !== 0)).toEqual([
      ['llm', 6, 14],
      ['vision', 3, 0],
      ['rl', 1, 0],
    ]);
    expect(cut.sections[0]!.papers.map((e) => e.paper.title)).toEqual(d.sections[0]!.papers.slice(0, 6).map((e) => e.paper.title));
    expect(cut.paperCount).toBe(24);
    expect(shrinkDigest(d, 100)).toEqual(d);
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
