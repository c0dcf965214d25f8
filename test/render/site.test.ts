// The static pages as pure output: which files, what each page shows, inert hostile text, no assets or scripts, stable bytes.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as cheerio from 'cheerio';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderFeeds } from '../../src/render/feeds.ts';
import { renderSite } from '../../src/render/site.ts';
import { writeSite } from '../../src/render/site-writer.ts';
import { BASE, HOSTILE_TITLES, renderAll, shownTitle, siteInput, TOPICS } from '../server/factory.ts';
import { edition, ep, paper } from './factory.ts';

const INPUT = siteInput();
const site = renderSite(INPUT);
const published = INPUT.editions.filter((e) => e.status === 'published');
const load = (name: string) => cheerio.load(site.get(name)!);

afterEach(() => {
  vi.useRealTimers();
});

describe('site files', () => {
  it('a landing page, an archive index, one page per published edition (not the empty one) and a 404 page', () => {
    expect([...site.keys()].sort()).toEqual(['404.html', 'archive/2026-11-23.html', 'archive/2026-11-24.html', 'archive/2026-11-25.html', 'archive/index.html', 'index.html']);
  });

  it('every page: lang, viewport, the all-papers feed as rel=alternate, no scripts, no external assets', () => {
    for (const [name, html] of site) {
      const $ = cheerio.load(html);
      expect($('html').attr('lang'), name).toBe('en');
      expect($('meta[name=viewport]').attr('content')).toContain('width=device-width');
      const alt = $('link[rel=alternate][type="application/rss+xml"]');
      expect(alt.length, name).toBe(1);
      // Relative, so it resolves to /feeds/all.xml from every depth.
      expect(new URL(alt.attr('href')!, `${BASE}/${name}`).href, name).toBe(`${BASE}/feeds/all.xml`);
      expect($('script, img, iframe, object, embed, link[rel=stylesheet]').length, name).toBe(0);
      expect(html, name).not.toMatch(/<script|@import|url\(/i);
      expect($('[src]').length, name).toBe(0);
      expect($('h1').length, name).toBe(1);
    }
  });
});

describe('hostile seed text', () => {
  it('is shown as text and never becomes markup: no <script, no on* attributes, no javascript: links', () => {
    for (const [name, html] of site) {
      const $ = cheerio.load(html);
      expect(html, name).not.toMatch(/<script/i);
      expect(html, name).not.toMatch(/<img/i);
      const handlers = $('*').filter((_, el) => Object.keys((el as { attribs?: Record<string, string> }).attribs ?? {}).some((a) => a.startsWith('on')));
      expect(handlers.length, name).toBe(0);
      expect($('a').filter((_, el) => /^\s*javascript:/i.test($(el).attr('href') ?? '')).length, name).toBe(0);
      expect(html, name).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/);
      expect(html.isWellFormed(), name).toBe(true);
    }
    const $ = load('archive/2026-11-25.html');
    // HTML collapses whitespace; a stripped control character may leave two spaces in the source.
    const titles = $('article h3').map((_, el) => $(el).text().replace(/\s+/g, ' ').trim()).get();
    for (const t of HOSTILE_TITLES) expect(titles).toContain(shownTitle(t));
    expect($('body').text()).toContain('<script>alert(3)</script>'); // the trending phrase, as text
    // '<b>bold</b>' in a title and '<b>Mallory</b>' as an author stay text.
    expect($('b').filter((_, el) => ['bold', 'Mallory'].includes($(el).text())).length).toBe(0);
    expect($('body').text()).toContain('<b>Mallory</b>');
  });
});

describe('landing page', () => {
  const $ = load('index.html');
  const hrefs = $('a').map((_, el) => $(el).attr('href')).get();

  it('summarizes the latest published edition and links into its page', () => {
    const latest = published[0]!;
    expect(hrefs).toContain(`archive/${latest.id}.html`);
    expect($('.latest').text()).toContain('6 new papers');
    expect($('.latest li a').first().attr('href')).toBe(`archive/${latest.id}.html#p-${latest.papers[0]!.paper.id.replace(/[^A-Za-z0-9_.-]/g, '-')}`);
    expect(hrefs).toContain('archive/');
  });

  it('lists every topic (and Other) with its RSS and JSON feed, plus OPML and the editions feed', () => {
    for (const slug of [...TOPICS.map((t) => t.slug), 'other']) {
      expect(hrefs).toContain(`feeds/${slug}.xml`);
      expect(hrefs).toContain(`feeds/${slug}.json`);
    }
    expect(hrefs).toEqual(expect.arrayContaining(['feeds/opml.xml', 'feeds/editions.xml', 'feeds/all.xml']));
    const card = $('.feeds li').filter((_, el) => $(el).find('strong').text() === 'Language models');
    const llm = published.flatMap((e) => e.papers).filter((p) => p.classification.topics.some((t) => t.slug === 'llm')).length;
    expect(card.find('.count').text()).toBe(String(llm));
  });

  it('has the subscribe form: email, one checkbox per topic, daily/weekly, posting to /subscribe', () => {
    const form = $('form.subscribe');
    expect(form.attr('method')).toBe('post');
    expect(new URL(form.attr('action')!, `${BASE}/`).pathname).toBe('/subscribe');
    expect(form.find('input[type=email][name=email][required]').length).toBe(1);
    expect(form.find(`label[for=${form.find('input[type=email]').attr('id')}]`).length).toBe(1);
    expect(form.find('input[type=checkbox][name=topics]').map((_, el) => $(el).attr('value')).get()).toEqual(TOPICS.map((t) => t.slug));
    expect(form.find('input[type=radio][name=cadence]').map((_, el) => $(el).attr('value')).get()).toEqual(['daily', 'weekly']);
    expect(form.find('button[type=submit]').length).toBe(1);
  });
});

describe('archive', () => {
  it('the index lists every published edition, newest first', () => {
    const $ = load('archive/index.html');
    expect($('ul.editions a').map((_, el) => $(el).attr('href')).get()).toEqual(published.map((e) => `${e.id}.html`));
    expect($('ul.editions li').first().text()).toContain('Wed, 25 Nov 2026');
  });

  it('an edition page is the web digest: every paper once, with its anchor, readable title, keywords, links, authors, upvotes, also-in', () => {
    const water = paper({
      title: 'Splitting H$_2$O with $\\mathcal{O}(n)$ steps',
      arxivId: '2411.07777',
      authors: ['Ada Lovelace', 'Alan Turing', 'Grace Hopper', 'Claude Shannon'],
      upvotes: 42,
      abstract: 'We split water. ' + 'It is cheap and it works in many settings that matter. '.repeat(20),
    });
    const unknown = paper({ title: 'A paper without an arXiv id', upvotes: null });
    const other = paper({ title: 'Matches no topic' });
    const e = edition('2026-11-20', [ep(water, ['efficiency', ['quantization', 'LoRA']], ['llm', ['LLM']]), ep(unknown, ['vision', ['image']]), ep(other)], [{ phrase: 'test-time $\\alpha$ scaling', count: 3, score: 2 }]);
    const out = renderSite({ ...siteInput(), editions: [e] });
    const $ = cheerio.load(out.get('archive/2026-11-20.html')!);
    expect($('article').length).toBe(3);
    // Counts read as English at one too.
    const one = renderSite({ ...siteInput(), editions: [edition('2026-11-21', [ep(paper({ title: 'A lone paper' }), ['vision', ['image']])])] });
    expect(cheerio.load(one.get('index.html')!)('.count').first().text()).toBe('1 new paper');
    expect(cheerio.load(one.get('archive/index.html')!)('.editions li .muted').text()).toMatch(/^1 paper\b/);
    const card = $('[id="p-2411.07777"]');
    expect(card.find('h3').text()).toBe('Splitting H₂O with 𝒪(n) steps');
    expect(card.find('h3 a').attr('href')).toBe('https://arxiv.org/abs/2411.07777');
    expect(card.find('.links a').map((_, el) => $(el).attr('href')).get()).toEqual(['https://arxiv.org/abs/2411.07777', 'https://arxiv.org/pdf/2411.07777', 'https://huggingface.co/papers/2411.07777']);
    expect(card.find('.byline').text()).toBe('Ada Lovelace, Alan Turing, Grace Hopper et al. · 42 upvotes');
    expect(card.find('.notes').text()).toBe('Matched quantization, LoRA, LLM · also in Language models');
    expect(card.find('.abstract').text()).toMatch(/^We split water\..* …$/);
    expect(card.find('.abstract').text().length).toBeLessThan(400);
    const fallback = $(`[id="p-${unknown.id}"]`);
    expect(fallback.find('.links a').map((_, el) => $(el).attr('href')).get()).toEqual([
      'https://huggingface.co/papers?q=A%20paper%20without%20an%20arXiv%20id',
      'https://arxiv.org/search/?query=A%20paper%20without%20an%20arXiv%20id&searchtype=title',
    ]);
    // Sections by topic with anchors the email's "N more" links and the table of contents use.
    expect($('section').map((_, el) => $(el).attr('id')).get()).toEqual(['topic-vision', 'topic-efficiency', 'topic-other']);
    expect($('nav.toc a').map((_, el) => $(el).attr('href')).get()).toEqual(['#topic-vision', '#topic-efficiency', '#topic-other']);
    expect($('.trending').text()).toContain('test-time α scaling');
    expect($('h1').text()).toBe('3 new papers in 3 topics');
    expect($('title').text()).toContain('20 Nov 2026');
  });

  it('edition pages link to the older and newer edition', () => {
    const $ = load('archive/2026-11-24.html');
    expect($('a[rel=prev]').attr('href')).toBe('2026-11-23.html');
    expect($('a[rel=next]').attr('href')).toBe('2026-11-25.html');
    expect(load('archive/2026-11-25.html')('a[rel=next]').length).toBe(0);
  });

  it('every feed item that links into the archive lands on an anchor that exists', () => {
    const feed = cheerio.load(renderFeeds(INPUT).get('feeds/all.xml')!, { xml: true });
    const links = feed('item link').map((_, el) => feed(el).text()).get().filter((l) => l.startsWith(`${BASE}/archive/`));
    expect(links.length).toBeGreaterThan(5);
    for (const link of links) {
      const [page, anchor] = link.slice(BASE.length + 1).split('#');
      expect(load(page!)(`[id="${anchor}"]`).length, link).toBe(1);
    }
  });
});

describe('stability and writing', () => {
  it('equal input gives equal bytes, whatever the clock says', () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2031-01-01T00:00:00Z'));
    expect(renderSite(structuredClone(INPUT))).toEqual(site);
    vi.setSystemTime(new Date('1999-06-06T12:00:00Z'));
    expect(renderSite(structuredClone(INPUT))).toEqual(site);
  });

  it('writeSite writes everything once, then reports everything unchanged (mtimes stay), and never empties a full feed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'paperboy-site-'));
    const all = renderAll(INPUT);
    const first = writeSite(dir, all);
    expect(first.written.sort()).toEqual([...all.keys()].sort());
    expect(writeSite(dir, renderAll(structuredClone(INPUT)))).toEqual({ written: [], unchanged: [...all.keys()].sort(), kept: [] });

    const empty = renderAll({ ...INPUT, editions: [] });
    const r = writeSite(dir, empty);
    const hadItems = [...all].filter(([k, v]) => (k.endsWith('.xml') && v.includes('<item>')) || (k.endsWith('.json') && JSON.parse(v).items.length > 0)).map(([k]) => k);
    expect(hadItems.length).toBeGreaterThan(10);
    expect(r.kept.sort()).toEqual(hadItems.sort());
    expect(readFileSync(join(dir, 'feeds/all.xml'), 'utf8')).toBe(all.get('feeds/all.xml'));
    expect(readFileSync(join(dir, 'feeds/all.json'), 'utf8')).toBe(all.get('feeds/all.json'));
    // Pages have no such guard: an empty archive index is the truth.
    expect(r.written).toContain('index.html');
  });

  it('writeSite removes the torn temp files a writer killed between write and rename left behind', () => {
    const dir = mkdtempSync(join(tmpdir(), 'paperboy-site-'));
    mkdirSync(join(dir, 'feeds'), { recursive: true });
    // What SIGKILL mid-write leaves: half a feed under the temp name of a process that no longer exists.
    writeFileSync(join(dir, 'feeds/all.xml.4242.tmp'), '<?xml version="1.0"?><rss><channel><item><ti');
    writeFileSync(join(dir, 'index.html.4243.tmp'), '<!doctype html><ht');
    writeSite(dir, renderAll(INPUT));
    expect(existsSync(join(dir, 'feeds/all.xml.4242.tmp'))).toBe(false);
    expect(existsSync(join(dir, 'index.html.4243.tmp'))).toBe(false);
    expect(existsSync(join(dir, 'feeds/all.xml'))).toBe(true);
  });
});
