// The real pipeline's site served by the real server: newsboat reads feeds over HTTP, Chromium follows the links.
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { parseConfig } from '../../src/config.ts';
import { runOnce } from '../../src/schedule/run.ts';
import { buildServer } from '../../src/server/http.ts';
import { hasChromium, launchChromium } from '../helpers/browser.ts';
import { tmpProject } from '../helpers/tmp.ts';

const hasNewsboat = spawnSync('newsboat', ['--version'], { stdio: 'ignore' }).status === 0;
let server: FastifyInstance;
let base = '';

beforeAll(async () => {
  const proj = tmpProject({ copySeeds: true });
  const app = createApp(parseConfig(proj.env), { now: () => new Date('2026-11-24T07:00:00Z') });
  await runOnce(app, { send: false, trigger: 'cli' });
  await app.close();
  server = await buildServer({ siteDir: join(proj.dataDir, 'site'), baseUrl: 'http://localhost:8080' });
  base = await server.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(() => server?.close());

describe('served site', () => {
  it.skipIf(!hasNewsboat)('newsboat loads the served feeds over HTTP and lists the items', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'paperboy-newsboat-'));
    writeFileSync(join(dir, 'urls'), `${base}/feeds/all.xml\n${base}/feeds/efficiency.xml\n`);
    writeFileSync(join(dir, 'config'), '');
    // Asynchronously: the server under test lives in this process and must keep answering.
    const r = await promisify(execFile)('newsboat', ['-x', 'reload', 'print-unread', '-u', join(dir, 'urls'), '-c', join(dir, 'cache.db'), '-C', join(dir, 'config')], {
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, HOME: dir },
    });
    expect(r.stderr).not.toMatch(/error/i);
    const unread = Number(/(\d+) unread articles/.exec(r.stdout)?.[1]);
    // all.xml holds the newest 100; efficiency.xml adds the ones of its own beyond those.
    expect(unread).toBeGreaterThan(100);
  });
  if (!hasNewsboat) console.warn('skipped newsboat test: newsboat is not installed (apt-get install newsboat)');

  it.skipIf(!hasChromium)('Chromium opens the landing and an archive page, and their feed links work', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 375, height: 800 } });
      await page.goto(`${base}/`);
      expect(await page.title()).toContain('paperboy');
      const feedHrefs = await page.$$eval('a[href$=".xml"]', (as) => as.map((a) => (a as HTMLAnchorElement).href));
      expect(feedHrefs.length).toBeGreaterThan(20);
      for (const href of feedHrefs.slice(0, 6)) {
        const res = await page.request.get(href);
        expect(res.status(), href).toBe(200);
        expect(res.headers()['content-type'], href).toMatch(/^(application\/rss\+xml|text\/x-opml)/);
      }
      const noOverflow = () => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
      expect(await noOverflow()).toBe(true);
      await page.screenshot({ path: 'test-artifacts/site-landing-375.png', fullPage: true });
      await page.click('text=All editions');
      await page.click('a[href="2026-11-24.html"]');
      expect(page.url()).toBe(`${base}/archive/2026-11-24.html`);
      expect(await page.locator('article').count()).toBe(516);
      expect(await noOverflow()).toBe(true);
      await page.screenshot({ path: 'test-artifacts/site-edition-375.png' });
      const rss = await page.$eval('link[rel=alternate][type="application/rss+xml"]', (l) => (l as HTMLLinkElement).href);
      expect((await page.request.get(rss)).status()).toBe(200);
    } finally {
      await browser.close();
    }
  });
  if (!hasChromium) console.warn('skipped browser test: /usr/bin/chromium is missing (apt-get install chromium)');
});
