// Every paper reaches the feeds: the whole latest edition, papers arriving after it went out, distinct stable dates.
import { copyFileSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import * as cheerio from 'cheerio';
import { describe, expect, it } from 'vitest';
import { feedparse, hasFeedparser, type ParsedFeed } from '../helpers/feedparser.ts';
import { cli, SEEDS, tmpProject, type TmpProject } from '../helpers/tmp.ts';

const SEED_FILES = readdirSync(SEEDS).sort();
const drop = (proj: TmpProject, i: number) => copyFileSync(join(SEEDS, SEED_FILES[i]!), join(proj.seedsDir, SEED_FILES[i]!));

function run(proj: TmpProject, args: string[]) {
  const r = cli([...args, '--json'], proj.env);
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

interface Listed {
  id: string;
  editionId: string | null;
  topics: string[];
}
const feed = (proj: TmpProject, name: string): ParsedFeed => feedparse([join(proj.dataDir, 'site/feeds', `${name}.xml`)])[0]!;
const dates = (f: ParsedFeed) => new Map(f.ids.map((id, i) => [id, f.published[i]!]));
const guid = (id: string) => `paperboy:paper:${id}`;

describe.skipIf(!hasFeedparser)('feeds hold every paper (read by python3-feedparser)', () => {
  it('the whole latest edition in all and in each topic feed; late papers reach the feeds on the run that ingests them; dates distinct and stable', () => {
    const proj = tmpProject();
    drop(proj, 0);
    drop(proj, 1);
    run(proj, ['subscribers', 'add', 'reader@example.org', '--active']);
    const first = run(proj, ['run', '--date', '2026-11-20']);
    expect(first.edition).toMatchObject({ status: 'published', papers: 304 });
    expect(first.delivery.sent).toBe(1);

    // Item 7: all 304 in all.xml (more than the old cap of 100), and every topic feed holds every paper of its topic.
    const papers = run(proj, ['papers']) as Listed[];
    const all = feed(proj, 'all');
    expect(all.bozo).toBe(0);
    expect(new Set(all.ids)).toEqual(new Set(papers.map((p) => guid(p.id))));
    const slugs = [...new Set(papers.flatMap((p) => (p.topics.length ? p.topics : ['other'])))];
    const topicFeeds = feedparse(slugs.map((slug) => join(proj.dataDir, 'site/feeds', `${slug}.xml`)));
    slugs.forEach((slug, i) => {
      const mine = papers.filter((p) => (slug === 'other' ? p.topics.length === 0 : p.topics.includes(slug)));
      expect(new Set(topicFeeds[i]!.ids), slug).toEqual(new Set(mine.map((p) => guid(p.id))));
    });

    // Item 9: one distinct second per paper, newest first in the edition's own order (the landing page's top list).
    const before = dates(all);
    expect(new Set(before.values()).size).toBe(304);
    const sorted = [...before].sort((a, b) => b[1].localeCompare(a[1])).map(([id]) => id);
    const landing = cheerio.load(readFileSync(join(proj.dataDir, 'site/index.html'), 'utf8'));
    const top = landing('.latest li a').map((_, el) => landing(el).attr('href')!.replace(/^.*#p-/, '')).get();
    expect(top).toHaveLength(8);
    expect(sorted.slice(0, 8).map((g) => g.replace('paperboy:paper:', '').replace(/[^A-Za-z0-9_.-]/g, '-'))).toEqual(top);
    // Stable across rebuilds: the site folder gone, the next run writes the same dates.
    rmSync(join(proj.dataDir, 'site'), { recursive: true });
    run(proj, ['run', '--date', '2026-11-20']);
    expect(dates(feed(proj, 'all'))).toEqual(before);

    // Item 8: a seed file dropped at noon, after the edition went out: its papers are in the feeds and on the site now.
    drop(proj, 2);
    const noon = run(proj, ['run', '--date', '2026-11-20']);
    expect(noon.edition).toMatchObject({ papers: 304, added: 0, waiting: 116 });
    expect(noon.delivery.sent).toBe(0); // nobody gets the same edition twice
    const late = (run(proj, ['papers']) as Listed[]).filter((p) => p.editionId === null);
    expect(late).toHaveLength(116);
    const afterNoon = dates(feed(proj, 'all'));
    expect(afterNoon.size).toBe(420);
    for (const [id, d] of before) expect(afterNoon.get(id), id).toBe(d); // guids and dates of what readers have stay
    const newest = [...before.values()].sort().at(-1)!;
    for (const p of late) expect(afterNoon.get(guid(p.id))! > newest).toBe(true);
    const page = readFileSync(join(proj.dataDir, 'site/index.html'), 'utf8');
    expect(page).toContain('116 papers arrived after the latest edition went out');
    for (const p of late) expect(page).toContain(`id="p-${p.id.replace(/[^A-Za-z0-9_.-]/g, '-')}"`);

    // The next day's edition takes them to email; their guids and dates do not change.
    const next = run(proj, ['run', '--date', '2026-11-21']);
    expect(next.edition).toMatchObject({ id: '2026-11-21', papers: 116 });
    expect(next.delivery.sent).toBe(1);
    expect(dates(feed(proj, 'all'))).toEqual(afterNoon);
  }, 120_000);

  it('the same date’s edition grows with late papers while nothing has been sent for it, and its email then carries them', () => {
    const proj = tmpProject();
    drop(proj, 0);
    drop(proj, 1);
    const morning = run(proj, ['run', '--date', '2026-11-20', '--no-send']);
    expect(morning.edition).toMatchObject({ created: true, papers: 304 });
    const before = dates(feed(proj, 'all'));
    drop(proj, 2);
    const noon = run(proj, ['run', '--date', '2026-11-20', '--no-send']);
    expect(noon.edition).toMatchObject({ created: false, added: 116, waiting: 0, papers: 420 });
    expect(noon.site.written).toContain('archive/2026-11-20.html');
    const all = dates(feed(proj, 'all'));
    expect(all.size).toBe(420);
    expect(new Set(all.values()).size).toBe(420);
    for (const [id, d] of before) expect(all.get(id)).toBe(d);
    const archive = readFileSync(join(proj.dataDir, 'site/archive/2026-11-20.html'), 'utf8');
    expect(archive.match(/<article|class="card"/g)?.length ?? 0).toBeGreaterThan(0);
    run(proj, ['subscribers', 'add', 'reader@example.org', '--active']);
    const evening = run(proj, ['run', '--date', '2026-11-20']);
    expect(evening.delivery.sent).toBe(1);
    const eml = readdirSync(join(proj.dataDir, 'outbox', '2026-11-20')).filter((f) => f.endsWith('.eml'));
    expect(eml).toHaveLength(1);
    expect(readFileSync(join(proj.dataDir, 'outbox', '2026-11-20', eml[0]!), 'utf8')).toMatch(/420 new papers/);
  }, 120_000);
});
