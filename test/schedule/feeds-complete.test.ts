// Every paper reaches the feeds: the whole latest edition, papers arriving after it went out, distinct stable dates.
import { copyFileSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import * as cheerio from 'cheerio';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.ts';
import { parseConfig } from '../../src/config.ts';
import type { EditionPaper } from '../../src/domain.ts';
import { runOnce } from '../../src/schedule/run.ts';
import { feedparse, hasFeedparser, type ParsedFeed } from '../helpers/feedparser.ts';
import { SEEDS, tmpProject, type TmpProject } from '../helpers/tmp.ts';

const SEED_FILES = readdirSync(SEEDS).sort();
const drop = (proj: TmpProject, i: number) => copyFileSync(join(SEEDS, SEED_FILES[i]!), join(proj.seedsDir, SEED_FILES[i]!));

const apps: App[] = [];
afterEach(async () => {
  for (const a of apps.splice(0)) await a.close();
});

/** The app on a project folder, its clock set by the test (a run at 07:00, another at noon, the next morning). */
function open(proj: TmpProject) {
  const clock = { now: new Date('2026-11-20T07:00:00Z') };
  const app = createApp(parseConfig(proj.env), { now: () => clock.now });
  apps.push(app);
  return { app, clock };
}

const feed = (proj: TmpProject, name: string): ParsedFeed => feedparse([join(proj.dataDir, 'site/feeds', `${name}.xml`)])[0]!;
const dates = (f: ParsedFeed) => new Map(f.ids.map((id, i) => [id, f.published[i]!]));
const guid = (id: string) => `paperboy:paper:${id}`;
const anchor = (id: string) => id.replace(/[^A-Za-z0-9_.-]/g, '-');
const slugsOf = (ep: EditionPaper) => (ep.classification.topics.length ? ep.classification.topics.map((t) => t.slug) : ['other']);

describe.skipIf(!hasFeedparser)('feeds hold every paper (read by python3-feedparser)', () => {
  it('the whole latest edition in all and in each topic feed; late papers reach the feeds on the run that ingests them; dates distinct and stable', async () => {
    const proj = tmpProject();
    const { app, clock } = open(proj);
    drop(proj, 0);
    drop(proj, 1);
    app.subscribers.create({ email: 'reader@example.org', topics: null, cadence: 'daily', weekday: 1, status: 'active', consent: { at: '2026-11-01T00:00:00.000Z', ip: null, source: 'test' } });
    const first = await runOnce(app, { date: '2026-11-20', send: true, trigger: 'cli' });
    expect(first.edition).toMatchObject({ status: 'published', papers: 304 });
    expect(first.delivery).toMatchObject({ sent: 1 });

    // Item 7: all 304 in all.xml (more than the old cap of 100), and every topic feed holds every paper of its topic.
    const edition = app.editions.get('2026-11-20')!;
    const all = feed(proj, 'all');
    expect(all.bozo).toBe(0);
    expect(new Set(all.ids)).toEqual(new Set(edition.papers.map((ep) => guid(ep.paper.id))));
    const slugs = [...new Set(edition.papers.flatMap(slugsOf))];
    const topicFeeds = feedparse(slugs.map((slug) => join(proj.dataDir, 'site/feeds', `${slug}.xml`)));
    slugs.forEach((slug, i) => {
      const mine = edition.papers.filter((ep) => slugsOf(ep).includes(slug));
      expect(new Set(topicFeeds[i]!.ids), slug).toEqual(new Set(mine.map((ep) => guid(ep.paper.id))));
    });

    // Item 9: one distinct second per paper, newest first in the edition's own order (the landing page's top list).
    const before = dates(all);
    expect(new Set(before.values()).size).toBe(304);
    const sorted = [...before].sort((a, b) => b[1].localeCompare(a[1])).map(([id]) => id.replace('paperboy:paper:', ''));
    expect(sorted).toEqual(edition.papers.map((ep) => ep.paper.id));
    const landing = cheerio.load(readFileSync(join(proj.dataDir, 'site/index.html'), 'utf8'));
    const top = landing('.latest li a').map((_, el) => landing(el).attr('href')!.replace(/^.*#p-/, '')).get();
    expect(top).toEqual(sorted.slice(0, 8).map(anchor));
    // Stable across rebuilds: the site folder gone, the next run (later that morning) writes the same dates.
    rmSync(join(proj.dataDir, 'site'), { recursive: true });
    rmSync(join(proj.dataDir, 'site.stamp'), { force: true });
    clock.now = new Date('2026-11-20T09:00:00Z');
    await runOnce(app, { date: '2026-11-20', send: true, trigger: 'cli' });
    expect(dates(feed(proj, 'all'))).toEqual(before);

    // Item 8: a seed file dropped at noon, after the edition went out: its papers are in the feeds and on the site now.
    drop(proj, 2);
    clock.now = new Date('2026-11-20T12:00:00Z');
    const noon = await runOnce(app, { date: '2026-11-20', send: true, trigger: 'cli' });
    expect(noon.edition).toMatchObject({ papers: 304, added: 0, waiting: 116 });
    expect(noon.delivery).toMatchObject({ sent: 0 }); // nobody gets the same edition twice
    const late = app.papers.unpublished();
    expect(late).toHaveLength(116);
    const afterNoon = dates(feed(proj, 'all'));
    expect(afterNoon.size).toBe(420);
    for (const [id, d] of before) expect(afterNoon.get(id), id).toBe(d); // guids and dates of what readers have stay
    for (const p of late) expect(afterNoon.get(guid(p.id))! >= '2026-11-20T11:58:00Z').toBe(true); // dated noon, above the morning
    expect(new Set(afterNoon.values()).size).toBe(420);
    const page = readFileSync(join(proj.dataDir, 'site/index.html'), 'utf8');
    expect(page).toContain('116 papers arrived after the latest edition went out');
    for (const p of late) expect(page).toContain(`id="p-${anchor(p.id)}"`);

    // The next day's edition takes them to email; their guids and dates do not change.
    clock.now = new Date('2026-11-21T07:00:00Z');
    const next = await runOnce(app, { date: '2026-11-21', send: true, trigger: 'cli' });
    expect(next.edition).toMatchObject({ id: '2026-11-21', papers: 116 });
    expect(next.delivery).toMatchObject({ sent: 1 });
    expect(dates(feed(proj, 'all'))).toEqual(afterNoon);
  }, 240_000);

  it('the same date’s edition grows with late papers while nothing has been sent for it, and its email then carries them', async () => {
    const proj = tmpProject();
    const { app, clock } = open(proj);
    drop(proj, 0);
    drop(proj, 1);
    const morning = await runOnce(app, { date: '2026-11-20', send: false, trigger: 'cli' });
    expect(morning.edition).toMatchObject({ created: true, papers: 304 });
    const before = dates(feed(proj, 'all'));
    drop(proj, 2);
    clock.now = new Date('2026-11-20T12:00:00Z');
    const noon = await runOnce(app, { date: '2026-11-20', send: false, trigger: 'cli' });
    expect(noon.edition).toMatchObject({ created: false, added: 116, waiting: 0, papers: 420 });
    expect(noon.site.written).toContain('archive/2026-11-20.html');
    const all = dates(feed(proj, 'all'));
    expect(all.size).toBe(420);
    expect(new Set(all.values()).size).toBe(420);
    for (const [id, d] of before) expect(all.get(id)).toBe(d);
    const archive = readFileSync(join(proj.dataDir, 'site/archive/2026-11-20.html'), 'utf8');
    for (const ep of app.editions.get('2026-11-20')!.papers) expect(archive).toContain(`id="p-${anchor(ep.paper.id)}"`);
    app.subscribers.create({ email: 'reader@example.org', topics: null, cadence: 'daily', weekday: 1, status: 'active', consent: { at: '2026-11-01T00:00:00.000Z', ip: null, source: 'test' } });
    clock.now = new Date('2026-11-20T18:00:00Z');
    const evening = await runOnce(app, { date: '2026-11-20', send: true, trigger: 'cli' });
    expect(evening.delivery).toMatchObject({ sent: 1 });
    const eml = readdirSync(join(proj.dataDir, 'outbox', '2026-11-20')).filter((f) => f.endsWith('.eml'));
    expect(eml).toHaveLength(1);
    expect(readFileSync(join(proj.dataDir, 'outbox', '2026-11-20', eml[0]!), 'utf8')).toMatch(/420 new papers/);
  }, 240_000);
});
