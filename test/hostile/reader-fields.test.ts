// A reader's own fields written to attack (keywords, authors, follows with markup, control and bidi characters,
// CDATA ends, huge text): stored clean, and inert on the preferences page, the reader's page, the private feeds and the email.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subscribeDeps } from '../../src/commands/subscribers.ts';
import { deliver } from '../../src/deliver/send.ts';
import { buildServer } from '../../src/server/http.ts';
import { registerSubscribeRoutes } from '../../src/server/subscribe-routes.ts';
import { interestsRepo } from '../../src/store/interests.ts';
import { preferencesUrl } from '../../src/signed-links.ts';
import { DATE, setupDelivery, type DeliverySetup } from '../deliver/setup.ts';

const { XMLValidator } = createRequire(import.meta.url)('fast-xml-parser') as typeof import('fast-xml-parser');
const BASE = 'https://papers.example.org';
const CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200E\u200F\u202A-\u202E\u2066-\u2069]/;
const LIVE = /<script>alert|<img src=x|<b>bold/i;
let w: DeliverySetup;
let server: FastifyInstance;

beforeAll(async () => {
  w = await setupDelivery(1, null);
  server = await buildServer({
    siteDir: join(w.app.config.dataDir, 'site'),
    baseUrl: BASE,
    extraRoutes: (s) => registerSubscribeRoutes(s, { ...subscribeDeps(w.app), log: () => {}, reader: { interests: interestsRepo(w.app.db), editions: w.app.editions } }),
  });
});
afterAll(async () => {
  await server?.close();
  await w?.app.close();
});

describe('hostile reader fields', () => {
  it('are stored without controls, and every page, feed and email shows them inert', async () => {
    const s = w.app.subscribers.findByEmail(w.emails[0]!)!;
    const prefs = preferencesUrl(BASE, w.app.secrets, s).replace(BASE, '');
    const keywords = 'one-step\u0007 diffusion\u202E, <script>alert(1)</script> diffusion, ]]>distillation\u001b[0m<b>bold</b>\u0000; ' + 'padding words '.repeat(2000);
    const authors = 'Eve\u202Eevil\u0008<img src=x onerror=alert(1)>; Mallory\r\nBcc: x@example.org';
    const body = new URLSearchParams({ cadence: 'daily', keywords, follows: '2410.17243 javascript:alert(1)', authors }).toString();
    const saved = await server.inject({ method: 'POST', url: prefs, headers: { origin: BASE, 'content-type': 'application/x-www-form-urlencoded' }, payload: body });
    expect(saved.statusCode).toBe(200);
    const stored = interestsRepo(w.app.db).get(s.id);
    const found: string[] = [];
    for (const v of [...stored.keywords, ...stored.authors, ...stored.follows]) {
      if (CONTROLS.test(v) || v.length > 100) found.push(`stored: ${JSON.stringify(v)}`);
    }
    expect(stored.keywords[0]).toBe('one-step diffusion');

    const check = (where: string, text: string, markup = true) => {
      const c = CONTROLS.exec(text);
      if (c) found.push(`${where}: control U+${c[0].charCodeAt(0).toString(16)} near ${JSON.stringify(text.slice(Math.max(0, c.index - 30), c.index + 10))}`);
      if (markup && LIVE.test(text)) found.push(`${where}: live markup ${JSON.stringify(LIVE.exec(text)![0])}`);
    };
    const page = await server.inject({ url: prefs });
    check('preferences page', page.body);
    const feedPath = /href="[^"]*?(\/feed\/[^"]+\.xml)"/.exec(page.body)?.[1] ?? /(\/feed\/[\w.-]+\.xml)/.exec(page.body)?.[1];
    const myPath = /(\/my\/[\w.-]+)/.exec(page.body)?.[1];
    expect(feedPath, 'the preferences page links the private feed').toBeTruthy();
    const xml = await server.inject({ url: feedPath! });
    expect(xml.statusCode).toBe(200);
    if (XMLValidator.validate(xml.body) !== true) found.push(`private RSS: not well-formed: ${JSON.stringify(XMLValidator.validate(xml.body))}`);
    check('private RSS', xml.body.replace(/<(title|dc:creator)>[\s\S]*?<\/\1>/g, ''));
    const json = await server.inject({ url: feedPath!.replace(/\.xml$/, '.json') });
    const items = (JSON.parse(json.body) as { items: { content_html?: string }[] }).items;
    check('private JSON feed', JSON.stringify(items.map((i) => i.content_html ?? '')));
    check('private JSON feed (raw)', json.body, false);
    if (myPath) check('reader page', (await server.inject({ url: myPath })).body);

    await deliver(w.app, { date: DATE, retryDelaysMs: [] });
    const dir = join(w.app.config.dataDir, 'outbox', DATE);
    const eml = readFileSync(join(dir, readdirSync(dir)[0]!), 'utf8');
    check('email', eml, false);
    expect(found).toEqual([]);
    expect(eml).toMatch(/matches: one-step diffusion/);
    expect(found).toEqual([]);
  }, 180_000);
});
