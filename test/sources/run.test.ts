// Live sources inside whole runs: fetch → ingest → edition over two simulated days (late data), a page-dump
// paper enriched from a fake arXiv in email, feeds and site, and no network at all without sources.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runOnce } from '../../src/schedule/run.ts';
import { FIXTURES, tmpProject } from '../helpers/tmp.ts';
import { sourcesWorld } from './world.ts';
import { DUMP, DUMP_TITLE, fakeArxiv, KNOWN } from './arxiv-fake.ts';
import { fakeTiming, json } from './fakes.ts';

type Item = { paper: { id: string; title: string; upvotes: number } };
const FIXTURE = JSON.parse(readFileSync(join(FIXTURES, 'hf-daily-papers-2024-10-25.json'), 'utf8')) as Item[];

const { serve, open, close } = sourcesWorld();

/** guid → count in an RSS file. */
const guids = (xml: string) => [...xml.matchAll(/<guid[^>]*>([^<]+)<\/guid>/g)].map((m) => m[1]!);

describe('run with live sources', () => {
  it('two simulated days: day-one papers once, late additions new, upvotes updated, guids unchanged, ranked by upvotes', async () => {
    // What Hugging Face answers per date; changed between the days.
    const days: Record<string, Item[]> = { '2024-10-25': FIXTURE.slice(0, 20) };
    const hf = await serve((req, res) => json(res, days[req.query.get('date')!] ?? []));
    const proj = tmpProject();
    const at = { now: new Date('2024-10-25T08:00:00Z') };
    const app = open(proj, { PAPERBOY_SOURCES: 'hf', PAPERBOY_HF_URL: hf.url }, at);

    const one = await runOnce(app, { send: false, trigger: 'cli', sourceTiming: fakeTiming() });
    expect(one.fetch!.days.map((d) => d.status)).toEqual(['written', 'empty', 'empty']);
    expect(one.edition).toMatchObject({ id: '2024-10-25', status: 'published', papers: 20 });
    const feedOne = readFileSync(join(proj.dataDir, 'site/feeds/all.xml'), 'utf8');
    const guidsOne = guids(feedOne);
    expect(guidsOne).toHaveLength(20);

    // Day two: Hugging Face added 9 papers to day one late, upvotes moved (the last of day one is now on top),
    // and day two has papers of its own.
    const lastOfDayOne = structuredClone(FIXTURE[19]!);
    lastOfDayOne.paper.upvotes = 500;
    days['2024-10-25'] = [...FIXTURE.slice(0, 19), lastOfDayOne, ...FIXTURE.slice(20)];
    days['2024-10-26'] = FIXTURE.slice(0, 3).map((it, i) => {
      const c = structuredClone(it);
      c.paper.id = `2410.2000${i}`;
      c.paper.title = `Day two paper ${i}: sparse attention for long video`;
      c.paper.upvotes = 10 + i;
      return c;
    });
    at.now = new Date('2024-10-26T08:00:00Z');
    const two = await runOnce(app, { send: false, trigger: 'cli', sourceTiming: fakeTiming() });
    expect(two.fetch!.days.map((d) => [d.date, d.status])).toEqual([
      ['2024-10-26', 'written'],
      ['2024-10-25', 'written'],
      ['2024-10-24', 'empty'],
    ]);
    expect(two.ingest).toMatchObject({ filesIngested: 2, papersNew: 9 + 3 });
    expect(two.edition).toMatchObject({ id: '2024-10-26', papers: 12 });
    expect(app.papers.count()).toBe(32);

    // Day-one papers are in day one's edition only; the late ones in day two's.
    const e1 = app.editions.get('2024-10-25')!;
    const e2 = app.editions.get('2024-10-26')!;
    expect(e1.papers).toHaveLength(20);
    const dayTwoIds = e2.papers.map((ep) => ep.paper.id);
    expect(dayTwoIds.filter((id) => e1.papers.some((ep) => ep.paper.id === id))).toEqual([]);
    expect(dayTwoIds).toEqual(expect.arrayContaining(FIXTURE.slice(20).map((i) => i.paper.id)));
    // The upvote change reached the stored paper, without a second copy or a new first-seen time.
    const moved = app.papers.find(lastOfDayOne.paper.id)!;
    expect(moved.upvotes).toBe(500);
    expect(moved.firstSeen).toBe('2024-10-25T08:00:00.000Z');
    expect(moved.editionId).toBe('2024-10-25');
    // Day one's edition now ranks it first: ranking is by upvotes where known.
    expect(e1.papers[0]!.paper.id).toBe(lastOfDayOne.paper.id);
    const ups = e2.papers.map((ep) => ep.paper.upvotes ?? -1);
    expect(ups).toEqual([...ups].sort((a, b) => b - a));

    // Feeds: every day-one guid is still there, once; the new ones are added.
    const feedTwo = readFileSync(join(proj.dataDir, 'site/feeds/all.xml'), 'utf8');
    const guidsTwo = guids(feedTwo);
    expect(new Set(guidsTwo).size).toBe(guidsTwo.length);
    expect(guidsTwo).toHaveLength(32);
    expect(guidsTwo).toEqual(expect.arrayContaining(guidsOne));

    // A third run with nothing changed at the source writes nothing and adds nothing.
    at.now = new Date('2024-10-26T12:00:00Z');
    const three = await runOnce(app, { send: false, trigger: 'cli', sourceTiming: fakeTiming() });
    expect(three.fetch!.filesWritten).toBe(0);
    expect(three.ingest.filesIngested).toBe(0);
  });

  it('a page-dump paper that arXiv knows by title gets its arXiv id, categories, authors and PDF link in email, feeds and site; its id and guid stay', async () => {
    const arxiv = await serve(fakeArxiv());
    const proj = tmpProject();
    writeFileSync(join(proj.seedsDir, 'dump.txt'), DUMP);
    const at = { now: new Date('2024-10-25T08:00:00Z') };
    // Day one offline: the dump alone, so the paper is published with its title id and a search link.
    const offline = open(proj, {}, at);
    await runOnce(offline, { send: false, trigger: 'cli' });
    const before = offline.papers.find(DUMP_TITLE)!;
    expect(before.id).toMatch(/^t-[0-9a-f]{16}$/);
    expect(readFileSync(join(proj.dataDir, 'site/feeds/all.xml'), 'utf8')).not.toContain('arxiv.org/abs/2410.19999');
    await close(offline);

    // Day two with enrichment on: the same paper is found on arXiv by its exact (normalized) title.
    at.now = new Date('2024-10-26T08:00:00Z');
    const app = open(proj, { PAPERBOY_ENRICH: 'arxiv', PAPERBOY_ARXIV_URL: arxiv.url }, at);
    writeFileSync(join(proj.seedsDir, 'dump2.txt'), 'Daily Papers\n\nAnother Paper About Retrieval Heads in Long Context Models\n\nWe look at retrieval heads and how they behave when the context grows long.\n');
    const r = await runOnce(app, { send: false, trigger: 'cli', sourceTiming: fakeTiming() });
    expect(r.enrich).toMatchObject({ byTitle: { found: 1 } });
    const after = app.papers.find(before.id)!;
    expect(after).toMatchObject({ id: before.id, arxivId: '2410.19999', categories: KNOWN.categories, authors: KNOWN.authors, editionId: '2024-10-25' });

    // Feeds: same guid, now with the arXiv link, the authors and the categories.
    const feed = readFileSync(join(proj.dataDir, 'site/feeds/all.xml'), 'utf8');
    const item = feed.split('<item>').find((i) => i.includes(`paperboy:paper:${before.id}`))!;
    expect(item).toContain('<link>https://arxiv.org/abs/2410.19999</link>');
    expect(item).toContain('Ada Lovelace, Alan Turing, Grace Hopper');
    expect(item).toContain('<category><![CDATA[eess.AS]]></category>');
    const jsonFeed = JSON.parse(readFileSync(join(proj.dataDir, 'site/feeds/all.json'), 'utf8')) as { items: { id: string; url: string; tags: string[] }[] };
    expect(jsonFeed.items.find((i) => i.id === `paperboy:paper:${before.id}`)).toMatchObject({ url: 'https://arxiv.org/abs/2410.19999', tags: expect.arrayContaining(['eess.AS', 'cs.CL']) });

    // Site: day one's archive page shows the PDF link, authors and categories.
    const page = readFileSync(join(proj.dataDir, 'site/archive/2024-10-25.html'), 'utf8');
    expect(page).toContain('https://arxiv.org/pdf/2410.19999');
    expect(page).toContain('Ada Lovelace');
    expect(page).toContain('eess.AS, cs.CL, cs.SD');

    // Email: a preview of day one's digest carries the same.
    const { preview } = await import('../../src/schedule/preview-step.ts');
    const p = await preview(app, { date: '2024-10-25', selection: { topics: null, cadence: 'daily' }, outDir: join(proj.dir, 'preview') });
    const html = readFileSync(p.html, 'utf8');
    const text = readFileSync(p.text, 'utf8');
    for (const body of [html, text]) {
      expect(body).toContain('https://arxiv.org/pdf/2410.19999');
      expect(body).toContain('Ada Lovelace');
      expect(body).toContain('eess.AS, cs.CL, cs.SD');
    }
  });

  it('without sources a run stays offline: no fetch, no enrichment, nothing asked of anyone', async () => {
    const proj = tmpProject();
    writeFileSync(join(proj.seedsDir, 'dump.txt'), DUMP);
    const app = open(proj, {}, { now: new Date('2024-10-25T08:00:00Z') });
    const r = await runOnce(app, { send: false, trigger: 'cli' });
    expect(r.fetch).toBeNull();
    expect(r.enrich).toBeNull();
    expect(r.edition.papers).toBe(2);
  });
});
