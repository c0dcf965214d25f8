// The default taxonomy on real seeds and on papers it has never seen: coverage, balance, hand-checked sample.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeSeed } from '../../src/ingest/decode.ts';
import { titleKey } from '../../src/ingest/normalize.ts';
import { parseSeed } from '../../src/ingest/parse.ts';
import { classify } from '../../src/topics/classify.ts';
import { loadTopics } from '../../src/topics/load.ts';
import { FIXTURES, ROOT, SEEDS } from '../helpers/tmp.ts';

const topics = loadTopics(join(ROOT, 'topics.yaml'));
const seen = new Set<string>();
const papers = readdirSync(SEEDS)
  .sort()
  .flatMap((f) => parseSeed(decodeSeed(readFileSync(join(SEEDS, f)))).papers)
  .filter((p) => !seen.has(titleKey(p.title)) && seen.add(titleKey(p.title)));
const sample = JSON.parse(readFileSync(join(FIXTURES, 'topic-sample.json'), 'utf8')) as {
  seeds: { title: string; accept: string[]; reject?: string[] }[];
  unseen: { title: string; abstract: string; accept: string[]; reject?: string[] }[];
};

describe('default taxonomy', () => {
  it('has 15–30 topics', () => {
    expect(topics.topics.length).toBeGreaterThanOrEqual(15);
    expect(topics.topics.length).toBeLessThanOrEqual(30);
  });

  it('on the seeds: under 10% in "other", no topic holds more than a third', () => {
    expect(papers).toHaveLength(516);
    const counts = new Map<string, number>();
    for (const p of papers) {
      const c = classify(p, topics).primary;
      counts.set(c, (counts.get(c) ?? 0) + 1);
    }
    expect((counts.get('other') ?? 0) / papers.length).toBeLessThan(0.1);
    for (const [slug, n] of counts) expect(n / papers.length, slug).toBeLessThanOrEqual(1 / 3);
  });

  it.each(sample.seeds)('seed paper "$title" reads right', (s) => {
    const p = papers.find((x) => x.title.startsWith(s.title));
    expect(p, s.title).toBeDefined();
    const c = classify(p!, topics);
    expect(s.accept).toContain(c.primary);
    for (const r of s.reject ?? []) expect(c.topics.map((t) => t.slug)).not.toContain(r);
  });

  it.each(sample.unseen)('unseen paper "$title" reads right', (s) => {
    const c = classify(s, topics);
    expect(s.accept).toContain(c.primary);
    for (const r of s.reject ?? []) expect(c.topics.map((t) => t.slug)).not.toContain(r);
  });
});
