// "Picked for you" end to end: Chromium sets interests on the preferences page, a real SMTP server on loopback gets a
// digest opening with picks and reasons, "more like this" is confirmed in the browser, and the next digest reflects it.
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { subscribeDeps } from '../../src/commands/subscribers.ts';
import { parseConfig } from '../../src/config.ts';
import { deliver } from '../../src/deliver/send.ts';
import { runOnce } from '../../src/schedule/run.ts';
import { buildServer } from '../../src/server/http.ts';
import { registerSubscribeRoutes } from '../../src/server/subscribe-routes.ts';
import { interestsRepo } from '../../src/store/interests.ts';
import { preferencesUrl } from '../../src/signed-links.ts';
import { hasChromium, launchChromium } from '../helpers/browser.ts';
import { startSmtp } from '../helpers/smtp.ts';
import { SEEDS, tmpProject } from '../helpers/tmp.ts';

const BASE = 'https://papers.example.org';

describe('Picked for you in a real browser and mailbox', () => {
  it.skipIf(!hasChromium)('interests on the preferences page → picks with reasons → "more like this" confirmed → the next digest reflects it', async () => {
    const smtp = await startSmtp();
    const proj = tmpProject();
    copyFileSync(join(SEEDS, '003_78b85e7718955e76.txt'), join(proj.seedsDir, 'day1.txt'));
    let now = new Date('2026-11-24T07:00:00Z');
    const app = createApp(parseConfig({ ...proj.env, SMTP_URL: smtp.url, PAPERBOY_BASE_URL: BASE }), { now: () => now });
    await runOnce(app, { send: false, trigger: 'cli' });
    const s = app.subscribers.create({ email: 'reader@example.org', topics: null, cadence: 'daily', weekday: 1, status: 'active', consent: { at: now.toISOString(), ip: null, source: 'test' } });
    const interests = interestsRepo(app.db);
    const server = await buildServer({
      siteDir: app.config.siteDir,
      baseUrl: BASE,
      extraRoutes: (x) => registerSubscribeRoutes(x, { ...subscribeDeps(app), log: () => {}, reader: { interests, editions: app.editions } }),
    });
    const base = await server.listen({ port: 0, host: '127.0.0.1' });
    const local = (url: string) => url.replace(BASE, base);
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(local(preferencesUrl(BASE, app.secrets, s)));
      await page.fill('textarea[name=keywords]', 'one-step diffusion, distillation');
      await page.click('button:has-text("Save")');
      await page.waitForSelector('text=Saved.');
      expect(interests.get(s.id).keywords).toEqual(['one-step diffusion', 'distillation']);

      await deliver(app, { date: '2026-11-24', retryDelaysMs: [] });
      expect(smtp.messages).toHaveLength(1);
      const first = await simpleParser(smtp.messages[0]!.raw);
      expect(first.text).toMatch(/PICKED FOR YOU · \d[\s\S]*matches: one-step diffusion/);
      // The picks open the body: before the first topic section.
      const html = first.html as string;
      expect(html.indexOf('id="picked-for-you"')).toBeGreaterThan(0);
      expect(html.indexOf('id="picked-for-you"')).toBeLessThan(html.indexOf('id="topic-'));
      const more = /href="([^"]+\/more)"/.exec(first.html as string)![1]!.replace(/&amp;/g, '&');

      // Opening the link (as a mail scanner would) stores nothing; the button does.
      const response = await page.goto(local(more));
      expect(response!.status()).toBe(200);
      await page.waitForSelector('text=More like this?');
      await expect(page.textContent('body')).resolves.toContain('What is stored');
      expect(interests.feedback(s.id)).toEqual([]);
      await page.click('button:has-text("Yes, more like this")');
      await page.waitForSelector('text=Saved');
      expect(interests.feedback(s.id).map((f) => f.signal)).toEqual([1]);

      // A forged link: the same 404 as any bad link.
      const forged = await page.goto(local(more.replace(/\/feedback\/([^/]+)\//, (_m, t: string) => `/feedback/${t.slice(0, -1)}${t.endsWith('A') ? 'B' : 'A'}/`)));
      expect(forged!.status()).toBe(404);

      // The next day's digest names the paper the reader marked.
      copyFileSync(join(SEEDS, '002_3519c79454df5631.txt'), join(proj.seedsDir, 'day2.txt'));
      now = new Date('2026-11-25T07:00:00Z');
      await runOnce(app, { send: false, trigger: 'cli', date: '2026-11-25' });
      await deliver(app, { date: '2026-11-25', retryDelaysMs: [] });
      expect(smtp.messages).toHaveLength(2);
      const second = await simpleParser(smtp.messages[1]!.raw);
      expect(second.text).toMatch(/like '.+' you marked/);
      expect(second.text).toContain('1 paper you marked');
      expect(smtp.errors).toEqual([]);
    } finally {
      await browser.close();
      await server.close();
      await app.close();
      await smtp.close();
    }
  });
  if (!hasChromium) console.warn('skipped picks browser test: /usr/bin/chromium is missing (apt-get install chromium)');
});
