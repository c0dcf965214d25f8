// The served site in Chromium: feed links work, nothing overflows at 375 px, hostile text stays inert; screenshots to look at.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchChromium } from '../helpers/browser.ts';
import { ROOT } from '../helpers/tmp.ts';
import { serveSite, TOPICS, type ServedSite } from '../server/factory.ts';

const ARTIFACTS = join(ROOT, 'test-artifacts');
if (!hasChromium) console.warn('skipped the site browser test: /usr/bin/chromium is missing (apt-get install chromium)');

let site: ServedSite;
let browser: Browser;

beforeAll(async () => {
  if (!hasChromium) return;
  mkdirSync(ARTIFACTS, { recursive: true });
  site = await serveSite();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await site?.close();
});

interface Watched {
  page: Page;
  /** alert()s, CSP reports, page errors and requests that left the server: all must stay empty. */
  trouble: string[];
}

async function open(width: number, colorScheme: 'light' | 'dark' = 'light'): Promise<Watched> {
  const page = await browser.newPage({ viewport: { width, height: 900 }, colorScheme });
  const trouble: string[] = [];
  page.on('dialog', (d) => {
    trouble.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  page.on('pageerror', (e) => trouble.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') trouble.push(`console: ${m.text()}`);
  });
  page.on('request', (r) => {
    if (!r.url().startsWith(site.url)) trouble.push(`external request: ${r.url()}`);
  });
  return { page, trouble };
}

/** Widest element edge and the document width, against the viewport: any overflow shows in one of them. */
async function overflow(page: Page): Promise<{ scroll: number; widest: number; inner: number }> {
  return page.evaluate(() => {
    let widest = 0;
    for (const el of Array.from(document.body.querySelectorAll('*'))) widest = Math.max(widest, el.getBoundingClientRect().right);
    return { scroll: document.documentElement.scrollWidth, widest: Math.ceil(widest), inner: window.innerWidth };
  });
}

async function expectFits(page: Page) {
  const o = await overflow(page);
  expect(o.scroll, page.url()).toBeLessThanOrEqual(o.inner);
  expect(o.widest, page.url()).toBeLessThanOrEqual(o.inner);
}

describe.skipIf(!hasChromium)('the site in Chromium', () => {
  it('landing page: feed links answer with RSS, the form is complete, nothing overflows at 375 px', async () => {
    const { page, trouble } = await open(375);
    const res = await page.goto(`${site.url}/`);
    expect(res!.status()).toBe(200);
    expect(await page.title()).toContain('paperboy');
    await expectFits(page);
    await page.screenshot({ path: join(ARTIFACTS, 'site-home-375.png'), fullPage: true });

    const feedHrefs = await page.$$eval('a[href$=".xml"]', (as) => [...new Set(as.map((a) => (a as HTMLAnchorElement).href))]);
    for (const slug of [...TOPICS.map((t) => t.slug), 'other', 'all', 'editions']) expect(feedHrefs).toContain(`${site.url}/feeds/${slug}.xml`);
    for (const href of feedHrefs) {
      const r = await page.request.get(href);
      expect(r.status(), href).toBe(200);
      expect(r.headers()['content-type'], href).toMatch(href.endsWith('/opml.xml') ? /^text\/x-opml/ : /^application\/rss\+xml; charset=utf-8$/);
      expect(await r.text()).toMatch(href.endsWith('/opml.xml') ? /<opml version="2.0">/ : /<rss [^>]*version="2.0"/);
    }
    const jsonHrefs = await page.$$eval('a[href$=".json"]', (as) => [...new Set(as.map((a) => (a as HTMLAnchorElement).href))]);
    expect(jsonHrefs.length).toBe(TOPICS.length + 2); // each topic, Other, and the all-papers feed in the footer
    for (const href of jsonHrefs) expect((await page.request.get(href)).headers()['content-type']).toBe('application/feed+json; charset=utf-8');
    // Following one feed link in the browser itself (a navigation, not a fetch).
    const nav = await page.goto(feedHrefs.find((h) => h.endsWith('/feeds/llm.xml'))!);
    expect(nav!.status()).toBe(200);
    expect(nav!.headers()['content-type']).toBe('application/rss+xml; charset=utf-8');

    await page.goto(`${site.url}/`);
    expect(await page.locator('form.subscribe input[name=topics]').count()).toBe(TOPICS.length);
    expect(await page.getAttribute('form.subscribe', 'action')).toBe('subscribe');
    expect(await page.locator('label[for=email]').count()).toBe(1);
    expect(trouble).toEqual([]);
    await page.close();
  });

  it('landing page at desktop width and in dark mode', async () => {
    const wide = await open(1280);
    await wide.page.goto(`${site.url}/`);
    await expectFits(wide.page);
    await wide.page.screenshot({ path: join(ARTIFACTS, 'site-home-1280.png'), fullPage: true });
    const dark = await open(375, 'dark');
    await dark.page.goto(`${site.url}/`);
    // Dark mode comes from prefers-color-scheme alone.
    expect(await dark.page.evaluate(() => getComputedStyle(document.body).backgroundColor)).not.toBe('rgb(246, 247, 249)');
    await dark.page.screenshot({ path: join(ARTIFACTS, 'site-home-dark-375.png') });
    expect([...wide.trouble, ...dark.trouble]).toEqual([]);
    await wide.page.close();
    await dark.page.close();
  });

  it('archive: index to edition by clicking, every paper anchored, hostile titles inert, nothing overflows', async () => {
    const { page, trouble } = await open(375);
    await page.goto(`${site.url}/`);
    await page.click('header nav >> text=Archive');
    expect(page.url()).toBe(`${site.url}/archive/`);
    await expectFits(page);
    await page.screenshot({ path: join(ARTIFACTS, 'site-archive-375.png') });
    expect(await page.$$eval('ul.editions a', (as) => as.map((a) => a.textContent))).toEqual(['Wed, 25 Nov 2026', 'Tue, 24 Nov 2026', 'Mon, 23 Nov 2026']);

    // The hostile edition: titles render as text, no script ran, no alert fired.
    await page.click('a[href="2026-11-25.html"]');
    expect(page.url()).toBe(`${site.url}/archive/2026-11-25.html`);
    expect(await page.locator('article').count()).toBe(6);
    expect(await page.locator('article script, article img').count()).toBe(0);
    expect(await page.locator('article h3', { hasText: ']]><script>alert(1)</script>' }).count()).toBe(1);
    expect(await page.locator('article h3', { hasText: '<img src=x onerror=alert(1)> image tag' }).count()).toBe(1);
    await expectFits(page);
    await page.screenshot({ path: join(ARTIFACTS, 'site-edition-hostile-375.png'), fullPage: true });

    // The pretty URL, a real edition, and a feed link that points into it.
    await page.goto(`${site.url}/archive/2026-11-24`);
    const ids = site.input.editions[2]!.papers.map((p) => `p-${p.paper.id}`);
    expect(await page.$$eval('article', (as) => as.map((a) => a.id))).toEqual(expect.arrayContaining(ids));
    await expectFits(page);
    await page.screenshot({ path: join(ARTIFACTS, 'site-edition-seed-375.png') });
    const rss = await page.$eval('link[rel=alternate][type="application/rss+xml"]', (l) => (l as HTMLLinkElement).href);
    expect(rss).toBe(`${site.url}/feeds/all.xml`);
    const feed = await (await page.request.get(rss)).text();
    const anchor = /<link>([^<]*\/archive\/2026-11-24\.html#p-[^<]*)<\/link>/.exec(feed)![1]!;
    await page.goto(anchor);
    expect(await page.locator(`[id="${anchor.split('#')[1]}"]`).isVisible()).toBe(true);
    expect(trouble).toEqual([]);
    await page.close();
  });

  it('an edition page at desktop width, and the 404 page', async () => {
    const { page, trouble } = await open(1280);
    await page.goto(`${site.url}/archive/2026-11-24.html`);
    await expectFits(page);
    await page.screenshot({ path: join(ARTIFACTS, 'site-edition-1280.png') });
    const missing = await page.goto(`${site.url}/archive/1999-01-01`);
    expect(missing!.status()).toBe(404);
    // Chromium logs the 404 of the page itself as a console error; that one is the point of this step.
    trouble.splice(0, trouble.length, ...trouble.filter((t) => !/status of 404/.test(t)));
    expect(await page.locator('h1').textContent()).toBe('Not found');
    await page.click('text=archive');
    expect(page.url()).toBe(`${site.url}/archive/`);
    expect(trouble).toEqual([]);
    await page.close();
  });
});
