// The feeds as pure output: which files, item fields, escaping, size cap, byte stability; python3-feedparser reads them.
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as cheerio from 'cheerio';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MAX_FEED_BYTES, renderFeeds } from '../../src/render/feeds.ts';
import { writeSite } from '../../src/render/site-writer.ts';
import { feedparse, hasFeedparser } from '../helpers/feedparser.ts';
import { BASE, HOSTILE_TITLES, jsonFeedProblems, shownTitle, siteInput, TOPICS } from '../server/factory.ts';
import { edition, ep, hugeEdition, paper } from './factory.ts';

// Factory ids come from a counter: build the input once and clone it where a second copy is needed.
const INPUT = siteInput();
const files = renderFeeds(INPUT);
const published = INPUT.editions.filter((e) => e.status === 'published');
const allPapers = published.flatMap((e) => e.papers);
const xml = (name: string) => cheerio.load(files.get(`feeds/${name}.xml`)!, { xml: true });
const json = (name: string) => JSON.parse(files.get(`feeds/${name}.json`)!);

afterEach(() => {
  vi.useRealTimers();
});

describe('feed files', () => {
  it('all, one per topic plus "other", editions, a JSON twin for each, and an OPML', () => {
    const names = ['all', 'editions', ...TOPICS.map((t) => t.slug), 'other'];
    expect([...files.keys()].sort()).toEqual([...names.flatMap((n) => [`feeds/${n}.xml`, `feeds/${n}.json`]), 'feeds/opml.xml'].sort());
  });

  it('the OPML lists every RSS feed with its public URL', () => {
    const $ = cheerio.load(files.get('feeds/opml.xml')!, { xml: true });
    const urls = $('outline[type="rss"]').map((_, el) => $(el).attr('xmlUrl')).get();
    const feeds = [...files.keys()].filter((f) => f.endsWith('.xml') && f !== 'feeds/opml.xml').map((f) => `${BASE}/${f}`);
    expect(urls.sort()).toEqual(feeds.sort());
    expect($('opml').attr('version')).toBe('2.0');
  });

  it('a renamed topic (topics.yaml formerly) is still written under its old feed name, with the same items', () => {
    const slug = TOPICS[0]!.slug;
    const renamed = TOPICS.map((t, i) => (i === 0 ? { ...t, formerly: ['called-before'] } : t));
    const out = renderFeeds(siteInput({ topics: renamed }));
    const items = (name: string) => cheerio.load(out.get(`feeds/${name}.xml`)!, { xml: true })('item > guid').map((_, e) => cheerio.load(e, { xml: true }).text()).get();
    expect(items(slug).length).toBeGreaterThan(0);
    expect(items('called-before')).toEqual(items(slug));
    expect(out.has('feeds/called-before.json')).toBe(true);
    expect(files.has('feeds/called-before.xml')).toBe(false);
  });

  it('a topic whose slug is one of our feed names gets topic-<slug> instead of overwriting it', () => {
    const out = renderFeeds(siteInput({ topics: [...TOPICS, { slug: 'all', name: 'All the things', description: '' }] }));
    expect(out.has('feeds/topic-all.xml')).toBe(true);
    expect(cheerio.load(out.get('feeds/all.xml')!, { xml: true })('channel > title').text()).toBe('paperboy: all papers');
  });
});

describe('RSS items', () => {
  it('newest first (feed date desc), every paper of the editions in the window, only from published editions', () => {
    const $ = xml('all');
    const dates = $('item pubDate').map((_, el) => Date.parse($(el).text())).get();
    expect(dates.length).toBe(allPapers.length);
    expect([...dates].sort((a, b) => b - a)).toEqual(dates);
    expect($('item guid').first().text()).toBe(`paperboy:paper:${published[0]!.papers.find((p) => p.paper.firstSeen.endsWith('06:00:05Z'))!.paper.id}`);
  });

  it('each item: readable title, non-permalink guid, first-seen pubDate, topic names as categories, dc:creator, abstract', () => {
    const water = paper({ title: 'Splitting H$_2$O with $\\mathcal{O}(n)$ steps', arxivId: '2411.07777', authors: ['Ada Lovelace', 'Alan Turing'], firstSeen: '2026-11-20T08:30:00Z', abstract: 'Water, split. Cheaply.' });
    const out = renderFeeds({ ...siteInput(), editions: [edition('2026-11-20', [ep(water, ['efficiency', ['quantization']], ['llm', ['LLM']])])] });
    const $ = cheerio.load(out.get('feeds/all.xml')!, { xml: true });
    const item = $('item').first();
    expect(item.find('title').text()).toBe('Splitting H₂O with 𝒪(n) steps');
    expect(item.find('guid').text()).toBe('paperboy:paper:2411.07777');
    expect(item.find('guid').attr('isPermaLink')).toBe('false');
    expect(item.find('link').text()).toBe('https://arxiv.org/abs/2411.07777');
    expect(item.find('pubDate').text()).toBe('Fri, 20 Nov 2026 08:30:00 GMT');
    expect(item.find('category').map((_, el) => $(el).text()).get()).toEqual(['Efficiency', 'Language models']);
    expect(item.find('dc\\:creator').text()).toBe('Ada Lovelace, Alan Turing');
    expect(item.find('description').text()).toBe('Water, split. Cheaply.');
    const j = JSON.parse(out.get('feeds/all.json')!).items[0];
    expect(j).toMatchObject({ id: 'paperboy:paper:2411.07777', url: 'https://arxiv.org/abs/2411.07777', title: 'Splitting H₂O with 𝒪(n) steps', date_published: '2026-11-20T08:30:00Z', tags: ['Efficiency', 'Language models'], authors: [{ name: 'Ada Lovelace' }, { name: 'Alan Turing' }] });
  });

  it('a paper without a (valid) arXiv id links to its anchor on the archive page', () => {
    const $ = xml('all');
    const links = $('item link').map((_, el) => $(el).text()).get();
    expect(links.filter((l) => l.startsWith(`${BASE}/archive/2026-11-25.html#p-`)).length).toBe(4); // 3 without id + the javascript: one
    expect(links.every((l) => l.startsWith('https://arxiv.org/abs/') || l.startsWith(`${BASE}/archive/`))).toBe(true);
  });

  it('the guid and pubDate of a paper never change when newer editions arrive', () => {
    const before = siteInput();
    const first = before.editions[1]!.papers[0]!.paper;
    const after = { ...before, editions: [edition('2026-11-27', [ep(paper({ title: 'Newer', firstSeen: '2026-11-27T06:00:00Z' }))]), ...before.editions] };
    const find = (m: Map<string, string>) => cheerio.load(m.get('feeds/all.xml')!, { xml: true })(`item:has(guid:contains("${first.id}"))`);
    const a = find(renderFeeds(before));
    const b = find(renderFeeds(after));
    expect(b.find('guid').text()).toBe(a.find('guid').text());
    expect(b.find('pubDate').text()).toBe(a.find('pubDate').text());
    expect(b.find('link').text()).toBe(a.find('link').text());
  });

  it('topic feeds hold the papers of that topic (primary or also-in); "other" those with none', () => {
    for (const t of [...TOPICS, { slug: 'other' }]) {
      const expected = allPapers.filter((p) => (t.slug === 'other' ? p.classification.topics.length === 0 : p.classification.topics.some((m) => m.slug === t.slug)));
      const $ = xml(t.slug);
      const ids = $('item guid').map((_, el) => $(el).text()).get();
      expect(ids.length, t.slug).toBe(expected.length);
      expect(new Set(ids).size).toBe(ids.length);
      for (const id of ids) expect(expected.map((p) => `paperboy:paper:${p.paper.id}`)).toContain(id);
    }
  });

  it('the editions feed has one item per published edition, linking to its archive page', () => {
    const $ = xml('editions');
    expect($('item link').map((_, el) => $(el).text()).get()).toEqual(published.map((e) => `${BASE}/archive/${e.id}.html`));
    expect($('item guid').first().text()).toBe('paperboy:edition:2026-11-25');
    expect($('item title').first().text()).toBe('2026-11-25: 6 new papers');
  });

  it('every RSS file has atom:link rel=self with its public URL, and a language', () => {
    for (const [name, content] of files) {
      if (!name.endsWith('.xml') || name.endsWith('opml.xml')) continue;
      const $ = cheerio.load(content, { xml: true });
      expect($('channel > atom\\:link').attr('href'), name).toBe(`${BASE}/${name}`);
      expect($('channel > atom\\:link').attr('rel')).toBe('self');
      expect($('channel > language').text()).toBe('en');
    }
  });
});

describe('escaping', () => {
  it('"]]>" cannot end the CDATA early: the parsed title is the text, and no <script> element exists', () => {
    const $ = xml('all');
    expect($('script').length).toBe(0);
    expect($('item').length).toBe(allPapers.length);
    const titles = $('item title').map((_, el) => $(el).text()).get();
    for (const t of HOSTILE_TITLES) expect(titles).toContain(shownTitle(t));
    // Descriptions are HTML to readers: the abstract's markup arrives escaped, as text.
    const descriptions = $('item description').map((_, el) => $(el).text()).get().join();
    expect(descriptions).toContain(']]&gt;&lt;/description&gt;&lt;item&gt;&lt;title&gt;forged&lt;/title&gt; plus &lt;script&gt;alert(2)&lt;/script&gt;');
    expect(descriptions).not.toMatch(/<script|<img/);
    expect($('item title').filter((_, el) => $(el).text() === 'forged').length).toBe(0);
  });

  it('characters XML 1.0 forbids are stripped from every feed; JSON carries the same clean text', () => {
    for (const [name, content] of files) {
      expect(content, name).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/);
      expect(content.isWellFormed(), name).toBe(true);
    }
    expect(json('all').items.map((i: { title: string }) => i.title)).toContain(shownTitle(HOSTILE_TITLES[1]!));
  });

  it.skipIf(!hasFeedparser)('feedparser reads every hostile feed with bozo 0 and the titles intact', () => {
    const dir = mkdtempSync(join(tmpdir(), 'paperboy-feeds-'));
    writeSite(dir, files);
    const paths = readdirSync(join(dir, 'feeds')).filter((f) => f.endsWith('.xml') && f !== 'opml.xml').map((f) => join(dir, 'feeds', f));
    for (const p of feedparse(paths)) expect({ file: p.file, bozo: p.bozo, why: p.bozoException }).toEqual({ file: p.file, bozo: 0, why: null });
    const all = feedparse([join(dir, 'feeds/all.xml')])[0]!;
    for (const t of HOSTILE_TITLES) expect(all.titles).toContain(shownTitle(t));
    // What a reader shows of the description is the abstract's text, markup and all, not markup it ran.
    for (const t of HOSTILE_TITLES) {
      expect(all.summaries).toContain(`${shownTitle(t)} — and the abstract adds ]]></description><item><title>forged</title> plus <script>alert(2)</script>. Second sentence here.`);
    }
  });
  if (!hasFeedparser) console.warn('skipped feedparser checks: /usr/bin/python3 has no feedparser (apt-get install python3-feedparser)');
});

describe('JSON Feed 1.1', () => {
  it('every JSON feed has the required fields, mirrors its RSS twin item for item', () => {
    for (const [name, content] of files) {
      if (!name.endsWith('.json')) continue;
      const feed = JSON.parse(content);
      expect(jsonFeedProblems(feed), name).toEqual([]);
      expect(feed.feed_url).toBe(`${BASE}/${name}`);
      const rss = cheerio.load(files.get(name.replace(/\.json$/, '.xml'))!, { xml: true });
      expect(feed.items.map((i: { id: string }) => i.id)).toEqual(rss('item guid').map((_, el) => rss(el).text()).get());
    }
  });
});

describe('size and stability', () => {
  it('stays under the size guard by dropping the oldest editions first, then cutting descriptions; never the latest edition', () => {
    const big = siteInput();
    big.editions[2]!.papers.forEach((x) => (x.paper.abstract = 'A very long abstract sentence. '.repeat(300)));
    for (const [name, content] of renderFeeds(big)) if (name.endsWith('.xml')) expect(Buffer.byteLength(content), name).toBeLessThanOrEqual(MAX_FEED_BYTES);
    // A latest edition of 200 papers after an older one of 1,500: the older one goes first, the latest stays whole.
    const latest = hugeEdition('2026-11-25', 200);
    const older = hugeEdition('2026-11-24', 1500);
    older.papers.forEach((x, i) => (x.paper.firstSeen = `2026-11-24T06:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}Z`));
    const out = renderFeeds({ ...siteInput(), editions: [latest, older] });
    const all = out.get('feeds/all.xml')!;
    expect(Buffer.byteLength(all)).toBeLessThanOrEqual(MAX_FEED_BYTES);
    const guids = new Set(cheerio.load(all, { xml: true })('item guid').map((_, el) => cheerio.load(el).text()).get());
    for (const x of latest.papers) expect(guids.has(`paperboy:paper:${x.paper.id}`)).toBe(true);
    expect(guids.size).toBeGreaterThan(200);
    expect(guids.size).toBeLessThan(1700);
    expect(JSON.parse(out.get('feeds/all.json')!).items.length).toBe(guids.size);
    // A latest edition larger than the guard alone is still whole (the file is larger, the descriptions short).
    const alone = renderFeeds({ ...siteInput(), editions: [hugeEdition('2026-11-26', 2500)] }).get('feeds/all.xml')!;
    expect(Buffer.byteLength(alone)).toBeGreaterThan(MAX_FEED_BYTES);
    expect(cheerio.load(alone, { xml: true })('item').length).toBe(2500);
  }, 180_000);

  it('is byte-stable: equal input gives equal bytes, whatever the clock says', () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2031-01-01T00:00:00Z'));
    const later = renderFeeds(structuredClone(INPUT));
    vi.setSystemTime(new Date('1999-06-06T12:00:00Z'));
    const earlier = renderFeeds(structuredClone(INPUT));
    expect(later).toEqual(files);
    expect(earlier).toEqual(files);
    // lastBuildDate and pubDate are the newest item's first-seen date.
    expect(files.get('feeds/all.xml')).toContain('<lastBuildDate>Wed, 25 Nov 2026 06:00:05 GMT</lastBuildDate>');
    expect(files.get('feeds/all.xml')).toContain('<pubDate>Wed, 25 Nov 2026 06:00:05 GMT</pubDate>');
  });

  it('with no editions the feeds are valid, empty and dated from the epoch, not from now', () => {
    const out = renderFeeds({ ...siteInput(), editions: [] });
    const $ = cheerio.load(out.get('feeds/all.xml')!, { xml: true });
    expect($('item').length).toBe(0);
    expect($('lastBuildDate').text()).toBe('Thu, 01 Jan 1970 00:00:00 GMT');
    expect(JSON.parse(out.get('feeds/all.json')!).items).toEqual([]);
  });
});
