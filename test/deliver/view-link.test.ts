// "View in browser" in a sent digest opens that reader's own page (/my/<token>), for readers with and without picks;
// a forged or revoked link gets the 404 every private link gets. Sent over a real SMTP server, opened by fastify inject.
import { join } from 'node:path';
import * as cheerio from 'cheerio';
import type { FastifyInstance } from 'fastify';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setSubscriber, subscribeDeps } from '../../src/commands/subscribers.ts';
import { deliver } from '../../src/deliver/send.ts';
import { buildServer } from '../../src/server/http.ts';
import { registerSubscribeRoutes } from '../../src/server/subscribe-routes.ts';
import { interestsRepo } from '../../src/store/interests.ts';
import { preferencesUrl, unsubscribeUrl } from '../../src/signed-links.ts';
import { startSmtp, type TestSmtp } from '../helpers/smtp.ts';
import { DATE, NOW, setupDelivery, type DeliverySetup } from './setup.ts';

const BASE = 'https://papers.example.org';
let smtp: TestSmtp;
let w: DeliverySetup;
let server: FastifyInstance;

beforeAll(async () => {
  smtp = await startSmtp();
  w = await setupDelivery(3, smtp.url);
  server = await buildServer({
    siteDir: join(w.app.config.dataDir, 'site'),
    baseUrl: BASE,
    extraRoutes: (s) => registerSubscribeRoutes(s, { ...subscribeDeps(w.app), now: () => NOW, log: () => {}, reader: { interests: interestsRepo(w.app.db), editions: w.app.editions } }),
  });
}, 60_000);
afterAll(async () => {
  await server?.close();
  await w?.app.close();
  await smtp?.close();
});

describe('View in browser', () => {
  it("opens the reader's own page, with or without picks; forged and revoked links 404", async () => {
    const [picked, plain, topical] = w.emails as [string, string, string];
    setSubscriber(w.app, picked, { keywords: 'diffusion' });
    // A reader who reset their private links signs with a reader nonce: the batch read must bring it.
    const reset = w.app.subscribers.findByEmail(plain)!;
    interestsRepo(w.app.db).resetLinks(reset.id);
    setSubscriber(w.app, topical, { topics: 'language-models,reasoning' });
    const report = await deliver(w.app, { date: DATE, retryDelaysMs: [] });
    expect(report.sent).toBe(3);
    expect(smtp.errors).toEqual([]);

    const pages = new Map<string, string>();
    for (const m of smtp.messages) {
      const to = m.to[0]!;
      const s = w.app.subscribers.findByEmail(to)!;
      const mail = await simpleParser(m.raw);
      const $ = cheerio.load(mail.html as string);
      const views = $('a').filter((_, a) => $(a).text() === 'View in browser').map((_, a) => $(a).attr('href')).get();
      // Header and footer, the same private link, and the text part's too.
      expect(views, to).toHaveLength(2);
      expect(views[0], to).toMatch(/^https:\/\/papers\.example\.org\/my\/[0-9a-f]{20}\.[\w-]{27}$/);
      expect(views[1]).toBe(views[0]);
      expect(mail.text).toContain(`View in browser:\n${views[0]}\n`);
      // The other links are as they were: List-Unsubscribe and the footer's own.
      const head = m.raw.slice(0, m.raw.indexOf('\r\n\r\n')).replace(/\r\n\s+/g, ' ');
      expect(head).toContain(`List-Unsubscribe: <${unsubscribeUrl(BASE, w.app.secrets, s)}>, <mailto:news@papers.example.org?subject=unsubscribe%20${s.publicId}>`);
      expect(mail.text).toContain(`Manage topics:\n${preferencesUrl(BASE, w.app.secrets, s)}\n`);
      pages.set(to, views[0]!);
    }
    expect(new Set(pages.values()).size).toBe(3);

    for (const [to, url] of pages) {
      const s = w.app.subscribers.findByEmail(to)!;
      const page = await server.inject({ url: url.slice(BASE.length) });
      expect(page.statusCode, to).toBe(200);
      // That reader's page: it links their own preferences.
      expect(page.body, to).toContain(preferencesUrl(BASE, w.app.secrets, s));
      const last = url.at(-1)!;
      const forged = await server.inject({ url: url.slice(BASE.length, -1) + (last === 'A' ? 'B' : 'A') });
      expect(forged.statusCode, to).toBe(404);
    }
    expect((await server.inject({ url: pages.get(picked)!.slice(BASE.length) })).body).toContain('Picked for you');

    // "Make new private links" revokes the link in every digest sent before.
    interestsRepo(w.app.db).resetLinks(w.app.subscribers.findByEmail(picked)!.id);
    expect((await server.inject({ url: pages.get(picked)!.slice(BASE.length) })).statusCode).toBe(404);
    expect((await server.inject({ url: pages.get(topical)!.slice(BASE.length) })).statusCode).toBe(200);
  }, 60_000);
});
