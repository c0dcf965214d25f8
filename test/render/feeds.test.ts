// Feeds and the site on disk, read back by an independent parser (python3-feedparser), plus byte stability.
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as cheerio from 'cheerio';
import { describe, expect, it } from 'vitest';
import { MAX_FEED_BYTES, renderFeeds } from '../../src/render/feeds.ts';
import { renderSite } from '../../src/render/site.ts';
import type { SiteInput } from '../../src/render/site-input.ts';
import { writeSite } from '../../src/render/site-writer.ts';
import { feedparse, hasFeedparser } from '../helpers/feedparser.ts';
import { edition, ep, paper, seedEdition, TOPICS } from './factory.ts';

const HOSTILE = [
  ']]><script>alert(1)</script>',
  'Control \u0001\u0007\u001b chars \uFFFE and a lone \uD800 surrogate',
  '<img src=x onerror=alert(1)> & "quotes" \'apostrophes\'',
  'RTL ‏שלום‏ and emoji 🧪 in a title',
];

function input(): SiteInput {
  const hostile = edition(
    '2026-11-25',
    HOSTILE.map((title, i) => ep(paper({ title, abstract: `${title} — the abstract ]]> too.`, authors: ['<b>Mallory</b>'], firstSeen: `2026-11-25T06:00:0${i}Z`, editionId: '2026-11-25' }), ['llm', ['LLM']])),
  );
  const seeds = seedEdition('2026-11-24', 120);
  seeds.papers.forEach((x) => (x.paper.editionId = '2026-11-24'));
  return { editions: [hostile, seeds], topics: TOPICS, baseUrl: 'https://papers.example.org', feedItems: 100 };
}

// Factory ids come from a counter: build the input once and clone it where a second copy is needed.
const INPUT = input();

describe('feeds', () => {
  const files = renderFeeds(INPUT);

  it('writes all, one per topic (and other), editions, JSON next to each, and an OPML', () => {
    const names = [...files.keys()].sort();
    for (const slug of ['all', 'editions', 'other', ...TOPICS.map((t) => t.slug)]) {
      expect(names).toContain(`feeds/${slug}.xml`);
      expect(names).toContain(`feeds/${slug}.json`);
    }
    expect(names).toContain('feeds/opml.xml');
  });

  it.skipIf(!hasFeedparser)('every RSS feed parses in feedparser with bozo 0 and the expected item counts', () => {
    const dir = mkdtempSync(join(tmpdir(), 'paperboy-feeds-'));
    writeSite(dir, files);
    const xml = readdirSync(join(dir, 'feeds')).filter((f) => f.endsWith('.xml') && f !== 'opml.xml').map((f) => join(dir, 'feeds', f));
    const parsed = feedparse(xml);
    for (const p of parsed) expect({ file: p.file, bozo: p.bozo, why: p.bozoException }).toEqual({ file: p.file, bozo: 0, why: null });
    const all = parsed.find((p) => p.file.endsWith('/all.xml'))!;
    expect(all.version).toBe('rss20');
    expect(all.entries).toBe(100); // 124 papers, capped at feedItems
    expect(all.ids[0]).toMatch(/^paperboy:paper:/);
    expect(all.titles).toContain(']]><script>alert(1)</script>');
    expect(parsed.find((p) => p.file.endsWith('/editions.xml'))!.entries).toBe(2);
  });
  if (!hasFeedparser) console.warn('skipped feedparser checks: /usr/bin/python3 has no feedparser (apt-get install python3-feedparser)');

  it('items carry a stable non-permalink guid, categories, the first-seen date, and atom:link self', () => {
    const xml = files.get('feeds/all.xml')!;
    const $ = cheerio.load(xml, { xml: true });
    expect($('channel > atom\\:link').attr('href')).toBe('https://papers.example.org/feeds/all.xml');
    expect($('channel > atom\\:link').attr('rel')).toBe('self');
    const first = $('item').first();
    expect(first.find('guid').attr('isPermaLink')).toBe('false');
    expect(first.find('pubDate').text()).toBe(new Date('2026-11-25T06:00:03Z').toUTCString());
    expect(first.find('category').first().text()).toBe('Language models');
    expect(xml).not.toMatch(/[\u0001\u0007\u001b\uFFFE]/);
  });

  it('is byte-stable: same input, same bytes (lastBuildDate pinned to the newest item)', () => {
    expect(renderFeeds(structuredClone(INPUT))).toEqual(files);
    expect(files.get('feeds/all.xml')).toContain(`<lastBuildDate>${new Date('2026-11-25T06:00:03Z').toUTCString()}</lastBuildDate>`);
  });

  it('stays under 512 KB even with 100 long abstracts', () => {
    const big = input();
    big.editions[1]!.papers.forEach((x) => (x.paper.abstract = 'A very long abstract sentence. '.repeat(300)));
    for (const [name, content] of renderFeeds(big)) if (name.endsWith('.xml')) expect(Buffer.byteLength(content), name).toBeLessThanOrEqual(MAX_FEED_BYTES);
  });

  it('JSON Feed 1.1 has the required fields', () => {
    const feed = JSON.parse(files.get('feeds/all.json')!);
    expect(feed).toMatchObject({ version: 'https://jsonfeed.org/version/1.1', title: expect.any(String), feed_url: 'https://papers.example.org/feeds/all.json', home_page_url: 'https://papers.example.org/' });
    for (const item of feed.items) {
      expect(typeof item.id).toBe('string');
      expect(item.content_text ?? item.content_html).toBeDefined();
      expect(Number.isNaN(Date.parse(item.date_published))).toBe(false);
    }
  });

  it('the OPML lists every RSS feed', () => {
    const $ = cheerio.load(files.get('feeds/opml.xml')!, { xml: true });
    const urls = $('outline[type="rss"]').map((_, el) => $(el).attr('xmlUrl')).get();
    const feeds = [...files.keys()].filter((f) => f.endsWith('.xml') && f !== 'feeds/opml.xml').map((f) => `https://papers.example.org/${f}`);
    expect(urls.sort()).toEqual(feeds.sort());
  });
});

describe('site pages', () => {
  const site = renderSite(INPUT);

  it('has a landing page, an archive index and one page per edition, all inert against hostile titles', () => {
    expect([...site.keys()].sort()).toEqual(['404.html', 'archive/2026-11-24.html', 'archive/2026-11-25.html', 'archive/index.html', 'index.html']);
    for (const [name, html] of site) {
      const $ = cheerio.load(html);
      expect($('script').length, name).toBe(0);
      expect($('[onerror]').length, name).toBe(0);
      expect($('img').length, name).toBe(0);
    }
    const page = cheerio.load(site.get('archive/2026-11-25.html')!);
    expect(page('article h3').map((_, el) => page(el).text()).get()).toContain(']]><script>alert(1)</script>');
  });

  it('the landing page links every topic feed and has the subscribe form', () => {
    const $ = cheerio.load(site.get('index.html')!);
    const hrefs = $('a').map((_, el) => $(el).attr('href')).get();
    for (const t of TOPICS) expect(hrefs).toContain(`feeds/${t.slug}.xml`);
    expect($('form[action="subscribe"][method="post"] input[type=email][name=email]').length).toBe(1);
    expect($('input[name=topics]').length).toBe(TOPICS.length);
    expect($('link[rel=alternate][type="application/rss+xml"]').attr('href')).toBe('feeds/all.xml');
  });

  it('edition pages anchor every paper, so feed links of papers without an arXiv id land on them', () => {
    const $ = cheerio.load(site.get('archive/2026-11-24.html')!);
    const feed = cheerio.load(renderFeeds(INPUT).get('feeds/all.xml')!, { xml: true });
    const archiveLinks = feed('item link').map((_, el) => feed(el).text()).get().filter((l) => l.includes('/archive/2026-11-24.html#'));
    expect(archiveLinks.length).toBeGreaterThan(0);
    for (const link of archiveLinks) expect($(`#${link.split('#')[1]}`).length, link).toBe(1);
  });

  it('writeSite skips unchanged files and never empties a full feed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'paperboy-site-'));
    const all = new Map([...renderFeeds(INPUT), ...site]);
    expect(writeSite(dir, all).written.length).toBe(all.size);
    expect(writeSite(dir, all)).toEqual({ written: [], unchanged: [...all.keys()].sort(), kept: [] });
    const empty = renderFeeds({ ...INPUT, editions: [] });
    const r = writeSite(dir, empty);
    expect(r.kept).toContain('feeds/all.xml');
    expect(readFileSync(join(dir, 'feeds/all.xml'), 'utf8')).toBe(all.get('feeds/all.xml'));
  });
});
