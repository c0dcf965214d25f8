// arXiv enrichment against a fake arXiv: batched id_list calls, exact-title lookups, cached hits and misses.
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestSeeds } from '../../src/ingest/scan.ts';
import { enrichStep } from '../../src/schedule/sources-step.ts';
import { FIXTURES, tmpProject } from '../helpers/tmp.ts';
import { sourcesWorld } from './world.ts';
import { DUMP, DUMP_TITLE, fakeArxiv, KNOWN } from './arxiv-fake.ts';
import { atomFeed, fakeTiming, xml } from './fakes.ts';

const { serve, open } = sourcesWorld();

describe('paperboy enrich', () => {
  it('ids in one batched call, a page-dump paper by exact title (keeping its id), misses cached and retried days later', async () => {
    const arxiv = await serve(fakeArxiv());
    const proj = tmpProject();
    copyFileSync(join(FIXTURES, 'hf-daily-papers-2024-10-25.json'), join(proj.seedsDir, 'hf.json'));
    writeFileSync(join(proj.seedsDir, 'dump.txt'), DUMP);
    const at = { now: new Date('2024-10-25T08:00:00Z') };
    const app = open(proj, { PAPERBOY_ARXIV_URL: arxiv.url, PAPERBOY_CONTACT: 'ops@lab.example' }, at);
    ingestSeeds({ seedsDir: proj.seedsDir, papers: app.papers, now: app.now });
    const before = app.papers.find(DUMP_TITLE)!;
    expect(before.id).toMatch(/^t-/);

    const timing = fakeTiming();
    const r = await enrichStep(app, { timing });
    expect(r).toMatchObject({ byId: { asked: 29, found: 29, missing: 0 }, byTitle: { asked: 2, found: 1, missing: 1 }, requests: 3 });
    // One id_list call for all 29, then one title search per dump paper, three seconds apart.
    expect(arxiv.seen[0]!.query.get('id_list')!.split(',')).toHaveLength(29);
    expect(arxiv.seen[0]!.headers['user-agent']).toContain('ops@lab.example');
    expect(timing.sleeps).toEqual([3000, 3000]);

    const after = app.papers.find(before.id)!;
    expect(after).toMatchObject({ id: before.id, arxivId: '2410.19999', categories: ['eess.AS', 'cs.CL', 'cs.SD'], authors: KNOWN.authors });
    expect(after.extra.arxivComment).toBe('5 pages, ICASSP 2025');
    expect(app.papers.find('2410.17243')!.categories).toEqual(['cs.CL', 'cs.LG']);
    // HF's author list (9 names) is not replaced by a shorter one.
    expect(app.papers.find('2410.17243')!.authors).toHaveLength(9);

    // Cached: nothing is asked again the next day; the miss is retried only after a week.
    const asked = arxiv.seen.length;
    at.now = new Date('2024-10-26T08:00:00Z');
    const next = await enrichStep(app, { timing });
    expect(next.requests).toBe(0);
    expect(arxiv.seen.length).toBe(asked);
    at.now = new Date('2024-11-02T09:00:00Z');
    const week = await enrichStep(app, { timing });
    expect(week).toMatchObject({ requests: 1, byTitle: { asked: 1, found: 0, missing: 1 } });
  });

  it('a run looks up a bounded number of papers; the rest is left for the next run', async () => {
    const arxiv = await serve(fakeArxiv());
    const proj = tmpProject();
    copyFileSync(join(FIXTURES, 'hf-daily-papers-2024-10-25.json'), join(proj.seedsDir, 'hf.json'));
    writeFileSync(join(proj.seedsDir, 'dump.txt'), DUMP);
    const app = open(proj, { PAPERBOY_ARXIV_URL: arxiv.url }, { now: new Date('2024-10-25T08:00:00Z') });
    ingestSeeds({ seedsDir: proj.seedsDir, papers: app.papers, now: app.now });
    const r = await enrichStep(app, { timing: fakeTiming(), idLimit: 10, titleLimit: 1 });
    expect(r).toMatchObject({ byId: { asked: 10 }, byTitle: { asked: 1 }, left: 19 + 1, requests: 2 });
    const next = await enrichStep(app, { timing: fakeTiming() });
    expect(next).toMatchObject({ byId: { asked: 19 }, byTitle: { asked: 1 }, left: 0 });
  });

  it('a failing arXiv stops enrichment with one line; what was found stays, the rest waits', async () => {
    let n = 0;
    const arxiv = await serve((req, res) => {
      if (n++ === 0) return xml(res, atomFeed([{ ...KNOWN }]));
      res.writeHead(503, { 'retry-after': '3600' });
      res.end();
    });
    const proj = tmpProject();
    writeFileSync(join(proj.seedsDir, 'dump.txt'), DUMP);
    const app = open(proj, { PAPERBOY_ARXIV_URL: arxiv.url }, { now: new Date('2024-10-25T08:00:00Z') });
    ingestSeeds({ seedsDir: proj.seedsDir, papers: app.papers, now: app.now });
    const r = await enrichStep(app, { timing: fakeTiming() });
    expect(r.byTitle.found).toBe(1);
    expect(r.error).toMatch(/HTTP 503 .*asked to wait 3600 s/);
    expect(r.left).toBe(1);
  });
});
