// Independent readers on the served feeds: python3-feedparser, a JSON Feed 1.1 check, OPML via cheerio, newsboat over HTTP.
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import * as cheerio from 'cheerio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { edition, ep, paper } from '../render/factory.ts';
import { HOSTILE_TITLES, jsonFeedProblems, serveSite, shownTitle, TOPICS, writeSiteDir, type ServedSite } from '../server/factory.ts';

const run = promisify(execFile);
const PY = '/usr/bin/python3';
const hasFeedparser = spawnSync(PY, ['-c', 'import feedparser'], { stdio: 'ignore' }).status === 0;
const hasNewsboat = spawnSync('newsboat', ['--version'], { stdio: 'ignore' }).status === 0;
if (!hasFeedparser) console.warn(`skipped feedparser checks: ${PY} has no feedparser (apt-get install python3-feedparser)`);
if (!hasNewsboat) console.warn('skipped newsboat checks: newsboat is not installed (apt-get install newsboat)');

interface Parsed {
  src: string;
  bozo: number;
  why: string | null;
  version: string;
  title: string;
  entries: { id: string; link: string; title: string; published: string | null; tags: string[]; author: string | null }[];
}

/**
 * feedparser on files or URLs, asynchronously: the server under test lives in this process and must keep
 * answering while Python fetches from it.
 */
async function feedparse(sources: string[]): Promise<Parsed[]> {
  const script = `
import feedparser, json, sys, calendar
out = []
for src in sys.argv[1:]:
    d = feedparser.parse(src)
    out.append({"src": src, "bozo": int(d.bozo), "why": str(d.get("bozo_exception")) if d.bozo else None,
                "version": d.version, "title": d.feed.get("title"),
                "entries": [{"id": e.get("id"), "link": e.get("link"), "title": e.get("title"),
                             "published": e.get("published_parsed") and calendar.timegm(e.published_parsed),
                             "tags": [t.term for t in e.get("tags", [])], "author": e.get("author")} for e in d.entries]})
print(json.dumps(out))
`;
  const { stdout } = await run(PY, ['-c', script, ...sources], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  return JSON.parse(stdout) as Parsed[];
}

let site: ServedSite;
/** Feed file names (no extension) the site wrote, opml aside. */
let names: string[] = [];
const statuses: number[] = [];

beforeAll(async () => {
  site = await serveSite(undefined, (app) =>
    app.addHook('onResponse', async (req, reply) => {
      if (req.url.startsWith('/feeds/')) statuses.push(reply.statusCode);
    }),
  );
  names = readdirSync(join(site.dir, 'feeds')).filter((f) => f.endsWith('.xml') && f !== 'opml.xml').map((f) => f.replace(/\.xml$/, ''));
});
afterAll(() => site?.close());

/** What each feed should hold, computed from the input without our renderer: every distinct paper of the editions in the window. */
function expectedCount(name: string): number {
  const published = site.input.editions.filter((e) => e.status === 'published').slice(0, site.input.feedEditions);
  if (name === 'editions') return published.length;
  const papers = [...new Map(published.flatMap((e) => e.papers).map((p) => [p.paper.id, p])).values()];
  const mine = name === 'all' ? papers : papers.filter((p) => (name === 'other' ? p.classification.topics.length === 0 : p.classification.topics.some((t) => t.slug === name)));
  return mine.length;
}

describe('python3-feedparser', () => {
  it('names every feed we expect', () => {
    expect(names.sort()).toEqual(['all', 'editions', 'other', ...TOPICS.map((t) => t.slug)].sort());
  });

  it.skipIf(!hasFeedparser)('reads every RSS file with bozo 0, as RSS 2.0, with the expected item count', async () => {
    const parsed = await feedparse(names.map((n) => join(site.dir, 'feeds', `${n}.xml`)));
    for (const p of parsed) {
      const name = p.src.split('/').pop()!.replace(/\.xml$/, '');
      expect({ name, bozo: p.bozo, why: p.why, version: p.version }).toEqual({ name, bozo: 0, why: null, version: 'rss20' });
      expect(p.entries.length, name).toBe(expectedCount(name));
      expect(new Set(p.entries.map((e) => e.id)).size, name).toBe(p.entries.length);
    }
  });

  it.skipIf(!hasFeedparser)('reads the all feed over HTTP: hostile titles intact, ids, links, dates, tags and authors', async () => {
    const [all] = await feedparse([`${site.url}/feeds/all.xml`]);
    expect(all!.bozo).toBe(0);
    expect(all!.entries.length).toBe(expectedCount('all'));
    const titles = all!.entries.map((e) => e.title);
    for (const t of HOSTILE_TITLES) expect(titles).toContain(shownTitle(t));
    const newest = site.input.editions[1]!.papers.find((p) => p.paper.firstSeen.endsWith('06:00:05Z'))!;
    const first = all!.entries[0]!;
    expect(first.id).toBe(`paperboy:paper:${newest.paper.id}`);
    expect(first.published).toBe(Date.parse(newest.paper.firstSeen) / 1000);
    expect(first.tags).toEqual(['Language models', 'Safety & alignment']);
    expect(first.author).toContain('<b>Mallory</b>');
    for (const e of all!.entries) expect(e.link).toMatch(new RegExp(`^(https://arxiv\\.org/abs/|${site.url}/archive/\\d{4}-\\d\\d-\\d\\d\\.html#p-)`));
  });
});

describe('JSON Feed 1.1', () => {
  it('every served JSON feed has the required fields and the same items as its RSS twin', async () => {
    for (const name of names) {
      const r = await fetch(`${site.url}/feeds/${name}.json`);
      expect(r.status, name).toBe(200);
      expect(r.headers.get('content-type')).toBe('application/feed+json; charset=utf-8');
      const feed = await r.json();
      expect(jsonFeedProblems(feed), name).toEqual([]);
      expect(feed.feed_url).toBe(`${site.url}/feeds/${name}.json`);
      expect(feed.items.length, name).toBe(expectedCount(name));
    }
  });
});

describe('OPML', () => {
  it('is served as text/x-opml, parses, and lists every RSS feed, each of which answers', async () => {
    const r = await fetch(`${site.url}/feeds/opml.xml`);
    expect(r.headers.get('content-type')).toBe('text/x-opml; charset=utf-8');
    const $ = cheerio.load(await r.text(), { xml: true });
    const urls = $('body outline[type=rss]').map((_, el) => $(el).attr('xmlUrl')).get();
    expect(urls.sort()).toEqual(names.map((n) => `${site.url}/feeds/${n}.xml`).sort());
    for (const url of urls) {
      const feed = await fetch(url);
      expect(feed.status, url).toBe(200);
      expect(feed.headers.get('content-type')).toBe('application/rss+xml; charset=utf-8');
    }
  });
});

describe('newsboat', () => {
  it.skipIf(!hasNewsboat || !hasFeedparser)('loads every served feed over HTTP, lists the items, and a reload adds only what is new', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'paperboy-newsboat-'));
    writeFileSync(join(dir, 'urls'), names.map((n) => `${site.url}/feeds/${n}.xml`).join('\n') + '\n');
    writeFileSync(join(dir, 'config'), '');
    const newsboat = () =>
      run('newsboat', ['-x', 'reload', 'print-unread', '-u', join(dir, 'urls'), '-c', join(dir, 'cache.db'), '-C', join(dir, 'config')], {
        encoding: 'utf8',
        timeout: 60_000,
        env: { ...process.env, HOME: dir },
      });
    const first = await newsboat();
    expect(first.stderr).not.toMatch(/error/i);
    // newsboat keeps one article per guid across feeds: the papers in any feed plus the editions.
    const parsed = await feedparse(names.map((n) => join(site.dir, 'feeds', `${n}.xml`)));
    const guids = new Set(parsed.flatMap((p) => p.entries.map((e) => e.id)));
    expect(first.stdout.trim()).toBe(`${guids.size} unread articles`);

    const db = new Database(join(dir, 'cache.db'), { readonly: true });
    const items = db.prepare('SELECT guid, title, feedurl FROM rss_item').all() as { guid: string; title: string; feedurl: string }[];
    db.close();
    expect(new Set(items.map((i) => i.guid))).toEqual(guids);
    const titles = items.map((i) => i.title);
    for (const t of ['Emoji 🧪🚀 and a scientist 👩‍🔬 in a title', ...site.input.editions[2]!.papers.slice(0, 5).map((p) => p.paper.title.replace(/\s+/g, ' '))]) {
      expect(titles.some((x) => x.includes(t.slice(0, 30))), t).toBe(true);
    }

    // A new edition: the next reload adds exactly its paper and its edition item; every old guid stays the same.
    const next = { ...site.input, editions: [edition('2026-11-27', [ep(paper({ title: 'A fresh language model paper', arxivId: '2411.55555', firstSeen: '2026-11-27T06:00:00Z' }), ['llm', ['LLM']])]), ...site.input.editions] };
    writeSiteDir(next, site.dir);
    statuses.length = 0;
    const second = await newsboat();
    expect(second.stdout.trim()).toBe(`${guids.size + 2} unread articles`);
    expect(statuses.length).toBe(names.length);
    expect(statuses.every((s) => s === 200 || s === 304)).toBe(true);
  });
});
