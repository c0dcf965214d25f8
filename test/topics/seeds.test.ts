// The default taxonomy on the real seeds and on papers it has never seen: coverage, balance, a hand-checked sample.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OTHER_TOPIC } from '../../src/domain.ts';
import { classify } from '../../src/topics/classify.ts';
import { loadTopics } from '../../src/topics/load.ts';
import { explainPaper } from '../../src/topics/report.ts';
import { ROOT, seedPapers } from './seed-papers.ts';

interface Judged {
  title: string;
  abstract?: string;
  accept: string[];
  reject?: string[];
  judgement: string;
}

const topics = loadTopics(join(ROOT, 'topics.yaml'));
const slugs = new Set(topics.topics.map((t) => t.slug));
const papers = await seedPapers();
const sample = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/topic-sample.json'), 'utf8')) as { seeds: Judged[]; unseen: Judged[] };

describe('the default taxonomy', () => {
  it('has 20–28 topics a reader can choose from, each with a name and a description', () => {
    expect(topics.topics.length).toBeGreaterThanOrEqual(20);
    expect(topics.topics.length).toBeLessThanOrEqual(28);
    for (const t of topics.topics) expect(t.description.length, t.slug).toBeGreaterThan(20);
    // Other parts of paperboy (tests, subscriber examples) name these.
    for (const s of ['language-models', 'efficiency', 'vision', 'robotics']) expect(slugs).toContain(s);
    expect(topics.topics[0]!.slug).toBe('language-models');
  });

  it('explains exactly what it classifies: the two scoring paths agree on every seed and sample paper', () => {
    // classify() scores in scratch arrays for speed, explainPaper() through scoreTopics(): same answers.
    for (const p of [...papers, ...sample.unseen.map((u) => ({ title: u.title, abstract: u.abstract ?? '' }))]) {
      const c = classify(p, topics);
      const x = explainPaper(p, topics);
      expect({ primary: x.primary, topics: x.topics }, p.title).toEqual({ primary: c.primary, topics: c.topics.map((t) => t.slug) });
      const scores = new Map(x.candidates.map((k) => [k.slug, k.score]));
      for (const t of c.topics) expect(scores.get(t.slug), `${p.title}: ${t.slug}`).toBe(t.score);
    }
  });

  it('has no spelling that adds nothing to an earlier one of its topic', () => {
    expect(topics.redundant).toEqual([]);
  });

  it('on the 516 seed papers: under 10% in "other" and no topic holds more than a third', () => {
    expect(papers).toHaveLength(516);
    const counts = new Map<string, number>();
    for (const p of papers) {
      const c = classify(p, topics).primary;
      counts.set(c, (counts.get(c) ?? 0) + 1);
    }
    expect((counts.get(OTHER_TOPIC) ?? 0) / papers.length).toBeLessThan(0.1);
    for (const [slug, n] of counts) if (slug !== OTHER_TOPIC) expect(n / papers.length, slug).toBeLessThanOrEqual(1 / 3);
    // Most topics are in use: a taxonomy where three topics take everything would pass the two ratios above.
    expect(counts.size).toBeGreaterThanOrEqual(20);
  });

  it('the hand-checked sample names real topics and about 40 seed papers plus about 10 unseen ones', () => {
    expect(sample.seeds.length).toBeGreaterThanOrEqual(40);
    expect(sample.unseen.length).toBeGreaterThanOrEqual(10);
    for (const s of [...sample.seeds, ...sample.unseen]) {
      for (const slug of [...s.accept, ...(s.reject ?? [])]) expect(slug === OTHER_TOPIC || slugs.has(slug), `${s.title}: ${slug}`).toBe(true);
      expect(s.judgement.length, s.title).toBeGreaterThan(5);
    }
  });

  it.each(sample.seeds)('seed paper "$title" reads right ($judgement)', (s) => {
    const found = papers.filter((p) => p.title.startsWith(s.title));
    expect(found, s.title).toHaveLength(1);
    const c = classify(found[0]!, topics);
    expect(s.accept, `primary of "${s.title}"`).toContain(c.primary);
    for (const r of s.reject ?? []) expect(c.topics.map((t) => t.slug), `"${s.title}" must not be in ${r}`).not.toContain(r);
  });

  it.each(sample.unseen)('unseen paper "$title" reads right ($judgement)', (s) => {
    const c = classify({ title: s.title, abstract: s.abstract ?? '' }, topics);
    expect(s.accept, `primary of "${s.title}"`).toContain(c.primary);
    for (const r of s.reject ?? []) expect(c.topics.map((t) => t.slug), `"${s.title}" must not be in ${r}`).not.toContain(r);
  });
});

describe('the seed reader used by these tests', () => {
  it('strips the page header and a "Subscribe" glued to the first title when it splits the files itself', async () => {
    const { splitSeed } = await import('./seed-papers.ts');
    const text = 'new\n\nGet trending papers in your email inbox!\n\nSubscribe\n\nDaily Papers\n\nbyAK and the research community\n\nAug 6\n\nFirst Title\n\nFirst abstract.\n\nSecond Title\nSecond abstract.\n';
    expect(splitSeed(text)).toEqual([
      { title: 'First Title', abstract: 'First abstract.' },
      { title: 'Second Title', abstract: 'Second abstract.' },
    ]);
    expect(splitSeed('Get trending papers in your email inbox once a day!\nSubscribeARMOR v0.1: A Title\nIts abstract.\n')).toEqual([
      { title: 'ARMOR v0.1: A Title', abstract: 'Its abstract.' },
    ]);
  });
});
