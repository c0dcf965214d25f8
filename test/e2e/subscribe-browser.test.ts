// The whole sign-up in Chromium against the real server and a real SMTP server: subscribe → confirm → topics → leave.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { subscribeDeps } from '../../src/commands/subscribers.ts';
import { parseConfig } from '../../src/config.ts';
import { runOnce } from '../../src/schedule/run.ts';
import { buildServer } from '../../src/server/http.ts';
import { registerSubscribeRoutes } from '../../src/server/subscribe-routes.ts';
import { hasChromium, launchChromium } from '../helpers/browser.ts';
import { startSmtp } from '../helpers/smtp.ts';
import { tmpProject } from '../helpers/tmp.ts';

describe('sign-up in a real browser', () => {
  it.skipIf(!hasChromium)('subscribe, confirm from the email, change topics, unsubscribe; the store shows each state', async () => {
    const smtp = await startSmtp();
    const proj = tmpProject({ copySeeds: true });
    const app = createApp(parseConfig({ ...proj.env, SMTP_URL: smtp.url, PAPERBOY_BASE_URL: 'https://papers.example.org' }), { now: () => new Date('2026-11-24T07:00:00Z') });
    await runOnce(app, { send: false, trigger: 'cli' });
    const server = await buildServer({ siteDir: app.config.siteDir, baseUrl: app.config.baseUrl, extraRoutes: (s) => registerSubscribeRoutes(s, subscribeDeps(app)) });
    const base = await server.listen({ port: 0, host: '127.0.0.1' });
    const browser = await launchChromium();
    const status = () => app.subscribers.findByEmail('reader@example.org');
    try {
      const page = await browser.newPage();
      await page.goto(`${base}/`);
      await page.fill('input[name=email]', 'Reader@Example.org');
      await page.check('input[name=topics][value=efficiency]');
      await page.check('input[name=topics][value=robotics]');
      await page.click('form.subscribe button[type=submit]');
      await page.waitForSelector('text=Check your inbox');
      expect(status()).toMatchObject({ status: 'pending', topics: ['robotics', 'efficiency'] });

      for (let i = 0; i < 100 && smtp.messages.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
      expect(smtp.messages).toHaveLength(1);
      const mail = await simpleParser(smtp.messages[0]!.raw);
      expect(mail.subject).toBe('Confirm your paperboy subscription');
      const link = /https:\/\/papers\.example\.org\/confirm\/[\w-]+/.exec(mail.text ?? '')![0];
      await page.goto(link.replace('https://papers.example.org', base));
      expect(status()!.status).toBe('pending'); // opening the link changes nothing
      await page.click('button:has-text("Confirm")');
      await page.waitForSelector('text=You are subscribed');
      expect(status()!.status).toBe('active');

      await page.click('text=Choose topics and cadence');
      await page.uncheck('input[name=topics][value=robotics]');
      await page.check('input[name=cadence][value=weekly]');
      await page.selectOption('select[name=weekday]', '5');
      await page.click('button:has-text("Save")');
      await page.waitForSelector('text=Saved.');
      expect(status()).toMatchObject({ status: 'active', topics: ['efficiency'], cadence: 'weekly', weekday: 5 });

      // The footer link of a digest: its GET page only asks; the button unsubscribes.
      const unsubscribeLink = await page.$eval('form[action^="../unsubscribe/"]', (f) => (f as HTMLFormElement).action);
      await page.goto(unsubscribeLink);
      await page.waitForSelector('text=Unsubscribe?');
      expect(status()!.status).toBe('active');
      await page.click('button:has-text("Unsubscribe")');
      await page.waitForSelector('text=You are unsubscribed');
      expect(status()!.status).toBe('unsubscribed');

      // Another site's form posting to /subscribe for this address: refused, the unsubscribe stands.
      const history = app.subscribers.history(status()!.id);
      const evil = createServer((_req, res) =>
        res.setHeader('content-type', 'text/html').end(`<form method="post" action="${base}/subscribe"><input name="email" value="reader@example.org"><button>Win a prize</button></form>`),
      );
      await new Promise<void>((r) => evil.listen(0, '127.0.0.1', r));
      try {
        await page.goto(`http://localhost:${(evil.address() as AddressInfo).port}/`);
        const [answer] = await Promise.all([page.waitForResponse(`${base}/subscribe`), page.click('button')]);
        expect(answer.status()).toBe(403);
      } finally {
        evil.close();
      }
      expect(status()!.status).toBe('unsubscribed');
      expect(app.subscribers.history(status()!.id)).toEqual(history);
      expect(smtp.messages).toHaveLength(1); // nothing but the confirmation was ever sent
    } finally {
      await browser.close();
      await server.close();
      await app.close();
      await smtp.close();
    }
  });
  if (!hasChromium) console.warn('skipped browser sign-up test: /usr/bin/chromium is missing (apt-get install chromium)');
});
