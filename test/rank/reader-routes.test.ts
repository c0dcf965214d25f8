// Interests on the preferences page, feedback links (GET asks, POST records), the reader's page and private feed
// (feedparser and newsboat over real HTTP), forged and revoked links, and the next digest reflecting the feedback.
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { spawnSync } from 'node:child_process';
import type { FastifyInstance } from 'fastify';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subscribeDeps } from '../../src/commands/subscribers.ts';
import { deliver } from '../../src/deliver/send.ts';
import { runOnce } from '../../src/schedule/run.ts';
import { buildServer } from '../../src/server/http.ts';
import { registerSubscribeRoutes } from '../../src/server/subscribe-routes.ts';
import { interestsRepo } from '../../src/store/interests.ts';
import { preferencesUrl } from '../../src/signed-links.ts';
import { DATE, setupDelivery, type DeliverySetup } from '../deliver/setup.ts';
import { feedparse, hasFeedparser } from '../helpers/feedparser.ts';
import { SEEDS } from '../helpers/tmp.ts';

const run = promisify(execFile);
const hasNewsboat = spawnSync('newsboat', ['--version'], { stdio: 'ignore' }).status === 0;
const BASE = 'https://papers.example.org';
let w: DeliverySetup;
let server: FastifyInstance;
let now = new Date('2026-11-24T07:00:00Z');
const same = { origin: BASE, 'content-type': 'application/x-www-form-urlencoded' };
const path = (url: string) => url.replace(BASE, '');

beforeAll(async () => {
  w = await setupDelivery(1, null);
  server = await buildServer({
    siteDir: join(w.app.config.dataDir, 'site'),
    baseUrl: BASE,
    extraRoutes: (s) => registerSubscribeRoutes(s, { ...subscribeDeps(w.app), now: () => now, log: () => {}, reader: { interests: interestsRepo(w.app.db), editions: w.app.editions } }),
  });
});
afterAll(async () => {
  await server?.close();
  await w?.app.close();
});

const mails = async (date: string) => {
  const dir = join(w.app.config.dataDir, 'outbox', date);
  return Promise.all(readdirSync(dir).map((f) => simpleParser(readFileSync(join(dir, f)))));
};
const feedbackRows = () => JSON.stringify(w.app.db.prepare('SELECT * FROM reader_feedback').all());

describe('a reader who sets interests and gives feedback', () => {
  let moreUrl = '';
  let markedTitle = '';
  const subscriber = () => w.app.subscribers.findByEmail(w.emails[0]!)!;

  it('sets interests on the preferences page and gets picks with reasons', async () => {
    const prefs = path(preferencesUrl(BASE, w.app.secrets, subscriber()));
    const page = await server.inject({ url: prefs });
    expect(page.body).toContain('Interests for "Picked for you"');
    expect(page.body).toContain('No "more like this"');
    const saved = await server.inject({ method: 'POST', url: prefs, headers: same, payload: 'cadence=daily&keywords=one-step+diffusion%2C+distillation&follows=&authors=' });
    expect(saved.statusCode).toBe(200);
    expect(interestsRepo(w.app.db).get(subscriber().id).keywords).toEqual(['one-step diffusion', 'distillation']);

    await deliver(w.app, { date: DATE, retryDelaysMs: [] });
    const [mail] = await mails(DATE);
    expect(mail!.text).toMatch(/PICKED FOR YOU · \d[\s\S]*matches: one-step diffusion/);
    moreUrl = /More like this: (\S+)/.exec(mail!.text!)![1]!;
    markedTitle = /PICKED FOR YOU · \d\n=+\n\n1\. (.+)/.exec(mail!.text!)![1]!;
  });

  it('a GET on a feedback link only asks; the POST records it; a cross-site POST is refused', async () => {
    const before = feedbackRows();
    const ask = await server.inject({ url: path(moreUrl) });
    expect(ask.statusCode).toBe(200);
    expect(ask.body).toContain('More like this?');
    expect(ask.body).toContain('What is stored');
    expect(ask.body).toContain('<form method="post"');
    expect(feedbackRows()).toBe(before);
    const fewerAsk = await server.inject({ url: path(moreUrl.replace(/\/more$/, '/fewer')) });
    expect(fewerAsk.statusCode).toBe(200);
    expect(feedbackRows()).toBe(before);

    const cross = await server.inject({ method: 'POST', url: path(moreUrl), headers: { ...same, origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' }, payload: '' });
    expect(cross.statusCode).toBe(403);
    expect(feedbackRows()).toBe(before);

    const post = await server.inject({ method: 'POST', url: path(moreUrl), headers: same, payload: '' });
    expect(post.statusCode).toBe(200);
    expect(post.body).toContain('Saved');
    expect(interestsRepo(w.app.db).feedback(subscriber().id).map((f) => f.signal)).toEqual([1]);
  });

  it('forged links get the same 404', async () => {
    // One character of the token changed (whatever its public id looks like): the MAC no longer verifies.
    const forged = moreUrl.replace(/\/feedback\/([^/]+)\//, (_m, t: string) => `/feedback/${t.slice(0, -1)}${t.endsWith('A') ? 'B' : 'A'}/`);
    expect(forged).not.toBe(moreUrl);
    for (const url of [forged, moreUrl.replace(/\/more$/, '/sideways'), moreUrl.replace(/\/[^/]+\/more$/, '/9999.99999/more')]) {
      const r = await server.inject({ url: path(url) });
      expect(r.statusCode, url).toBe(404);
      expect(r.body).toContain('Link not valid');
      expect((await server.inject({ method: 'POST', url: path(url), headers: same, payload: '' })).statusCode).toBe(404);
    }
  });

  it('the next digest reflects the feedback', async () => {
    copyFileSync(join(SEEDS, '002_3519c79454df5631.txt'), join(w.proj.seedsDir, 'next.txt'));
    now = new Date('2026-11-25T07:00:00Z');
    const next = '2026-11-25';
    const app2 = w.app;
    (app2 as { now: () => Date }).now = () => now;
    await runOnce(app2, { send: false, trigger: 'cli', date: next });
    await deliver(app2, { date: next, retryDelaysMs: [] });
    const [mail] = await mails(next);
    expect(mail!.text).toContain('1 paper you marked');
    expect(mail!.text).toMatch(/like '.+' you marked/);
    expect(markedTitle.length).toBeGreaterThan(0);
  });

  it('the preferences page shows every stored signal and forgets them', async () => {
    const prefs = path(preferencesUrl(BASE, w.app.secrets, subscriber()));
    const page = await server.inject({ url: prefs });
    expect(page.body).toContain('<strong>More like this</strong>');
    const clear = await server.inject({ method: 'POST', url: `${prefs}/feedback/clear`, headers: same, payload: '' });
    expect(clear.statusCode).toBe(200);
    expect(interestsRepo(w.app.db).feedback(subscriber().id)).toEqual([]);
  });

  it('the private feed validates in feedparser and newsboat; the reader page holds picks; a reset revokes the old links', async () => {
    const prefsPage = (await server.inject({ url: path(preferencesUrl(BASE, w.app.secrets, subscriber())) })).body;
    const feedXml = /RSS: <a href="([^"]+)"/.exec(prefsPage)![1]!.replace(/&amp;/g, '&');
    const pageUrl = /Your own digest page: <a href="([^"]+)"/.exec(prefsPage)![1]!;
    const xml = await server.inject({ url: path(feedXml) });
    expect(xml.statusCode).toBe(200);
    expect(xml.headers['content-type']).toBe('application/rss+xml; charset=utf-8');
    expect(xml.body).toContain('Picked for you (matches:');
    const json = await server.inject({ url: path(feedXml.replace(/\.xml$/, '.json')) });
    expect(JSON.parse(json.body).items.some((i: { tags?: string[] }) => i.tags?.includes('Picked for you'))).toBe(true);
    const my = await server.inject({ url: path(pageUrl) });
    expect(my.statusCode).toBe(200);
    expect(my.body).toContain('Picked for you');
    expect(my.body.match(/Fewer like this/g)!.length).toBeGreaterThan(10); // every card, not only the picks

    const dir = mkdtempSync(join(tmpdir(), 'paperboy-reader-feed-'));
    if (hasFeedparser) {
      writeFileSync(join(dir, 'feed.xml'), xml.body);
      const [parsed] = feedparse([join(dir, 'feed.xml')]);
      expect(parsed!.bozo).toBe(0);
      expect(parsed!.version).toBe('rss20');
      expect(parsed!.entries).toBeGreaterThan(5);
    }
    if (hasNewsboat) {
      const url = await server.listen({ port: 0, host: '127.0.0.1' });
      writeFileSync(join(dir, 'urls'), `${url}${path(feedXml)}\n`);
      writeFileSync(join(dir, 'config'), '');
      const nb = await run('newsboat', ['-x', 'reload', 'print-unread', '-u', join(dir, 'urls'), '-c', join(dir, 'cache.db'), '-C', join(dir, 'config')], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, HOME: dir } });
      expect(nb.stderr).not.toMatch(/error/i);
      expect(nb.stdout.trim()).toMatch(/^[1-9]\d* unread articles$/);
    }

    const prefs = path(preferencesUrl(BASE, w.app.secrets, subscriber()));
    expect((await server.inject({ method: 'POST', url: `${prefs}/links/reset`, headers: same, payload: '' })).statusCode).toBe(200);
    for (const old of [feedXml, pageUrl, moreUrl]) expect((await server.inject({ url: path(old) })).statusCode, old).toBe(404);
    const fresh = /RSS: <a href="([^"]+)"/.exec((await server.inject({ url: prefs })).body)![1]!;
    expect(fresh).not.toBe(feedXml);
    expect((await server.inject({ url: path(fresh) })).statusCode).toBe(200);
  });

  it('an unsubscribed reader’s private links are revoked', async () => {
    const prefs = (await server.inject({ url: path(preferencesUrl(BASE, w.app.secrets, subscriber())) })).body;
    const feedXml = /RSS: <a href="([^"]+)"/.exec(prefs)![1]!;
    w.app.subscribers.unsubscribe(subscriber().id, now.toISOString());
    expect((await server.inject({ url: path(feedXml) })).statusCode).toBe(404);
  });
});
