// Subscription routes through inject(): opt-in, tokens, GETs that change nothing, one-click POST, limits, hostile input.
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.ts';
import { parseConfig } from '../../src/config.ts';
import { outboxMailer, type Outgoing } from '../../src/deliver/mailer.ts';
import { buildServer } from '../../src/server/http.ts';
import { registerSubscribeRoutes } from '../../src/server/subscribe-routes.ts';
import { signToken } from '../../src/subscribe/tokens.ts';
import { subscribeDeps } from '../../src/commands/subscribers.ts';
import { tmpProject } from '../helpers/tmp.ts';

const open: (App | FastifyInstance)[] = [];
afterEach(async () => {
  for (const o of open.splice(0)) await o.close();
});

async function world(limits = { perIpPerHour: 100, perAddressPerDay: 100 }) {
  const proj = tmpProject();
  let now = new Date('2026-11-24T07:00:00Z');
  const sent: Outgoing[] = [];
  const outbox = outboxMailer(`${proj.dataDir}/outbox`);
  const mailer = { ...outbox, send: async (m: Outgoing) => (sent.push(m), outbox.send(m)) };
  const app = createApp(parseConfig({ ...proj.env, PAPERBOY_BASE_URL: 'https://papers.example.org' }), { now: () => now, mailer });
  const server = await buildServer({ siteDir: `${proj.dataDir}/site`, baseUrl: app.config.baseUrl, extraRoutes: (s) => registerSubscribeRoutes(s, { ...subscribeDeps(app), limits }) });
  open.push(server, app);
  const confirmToken = () => /\/confirm\/([\w-]+)/.exec(sent.at(-1)!.raw.replace(/=\r\n/g, ''))![1]!;
  const form = (body: Record<string, string | string[]>) => {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(body)) for (const x of [v].flat()) p.append(k, x);
    return p.toString();
  };
  const post = (url: string, body: Record<string, string | string[]> = {}, headers: Record<string, string> = {}) =>
    server.inject({ method: 'POST', url, payload: form(body), headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } });
  const snapshot = () => JSON.stringify(app.db.prepare('SELECT * FROM subscribers').all()) + JSON.stringify(app.db.prepare('SELECT * FROM confirm_tokens').all());
  return { app, server, sent, confirmToken, post, snapshot, setNow: (iso: string) => (now = new Date(iso)) };
}

describe('double opt-in', () => {
  it('subscribe → pending + one confirmation; GET confirm changes nothing; POST confirms once; replay is harmless', async () => {
    const w = await world();
    const r = await w.post('/subscribe', { email: ' Ada@Example.ORG ', topics: ['efficiency', 'vision'], cadence: 'weekly' });
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('Check your inbox');
    const s = w.app.subscribers.findByEmail('ada@example.org')!;
    expect(s).toMatchObject({ status: 'pending', topics: ['vision', 'efficiency'], cadence: 'weekly' });
    expect(w.app.subscribers.consent(s.id)).toMatchObject({ at: '2026-11-24T07:00:00.000Z', source: 'web-form', ip: '127.0.0.1' });
    expect(w.sent).toHaveLength(1);
    expect(w.sent[0]!.to).toBe('ada@example.org');
    const token = w.confirmToken();
    expect(token.length).toBeGreaterThanOrEqual(22); // 128+ bits
    // Only the hash is stored.
    expect(JSON.stringify(w.app.db.prepare('SELECT * FROM confirm_tokens').all())).not.toContain(token);
    const before = w.snapshot();
    const page = await w.server.inject({ url: `/confirm/${token}` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<button type="submit">Confirm</button>');
    expect(w.snapshot()).toBe(before);
    expect((await w.post(`/confirm/${token}`)).body).toContain('You are subscribed');
    expect(w.app.subscribers.get(s.id)!.status).toBe('active');
    expect((await w.post(`/confirm/${token}`)).body).toContain('already used');
  });

  it('the answer is the same for known and unknown addresses, and an active address gets no mail', async () => {
    const w = await world();
    await w.post('/subscribe', { email: 'known@example.org' });
    await w.post(`/confirm/${w.confirmToken()}`);
    const sentBefore = w.sent.length;
    const known = await w.post('/subscribe', { email: 'known@example.org' });
    const unknown = await w.post('/subscribe', { email: 'unknown@example.org' });
    expect(known.statusCode).toBe(unknown.statusCode);
    expect(known.body).toBe(unknown.body);
    expect(w.sent.length).toBe(sentBefore + 1); // only the unknown address got a confirmation
  });

  it('tokens expire after 72 hours; asking again replaces the old token', async () => {
    const w = await world();
    await w.post('/subscribe', { email: 'late@example.org' });
    const first = w.confirmToken();
    await w.post('/subscribe', { email: 'late@example.org' });
    const second = w.confirmToken();
    expect(second).not.toBe(first);
    expect((await w.server.inject({ url: `/confirm/${first}` })).statusCode).toBe(404);
    w.setNow('2026-11-27T07:00:01Z');
    const expired = await w.post(`/confirm/${second}`);
    expect(expired.statusCode).toBe(410);
    expect(w.app.subscribers.findByEmail('late@example.org')!.status).toBe('pending');
  });
});

describe('signed links', () => {
  it('preferences: tampered, wrong-purpose, wrong-secret and truncated tokens give the same 404; rotated secrets still verify', async () => {
    const w = await world();
    const s = w.app.subscribers.upsert({ email: 'p@example.org', topics: null, cadence: 'daily', weekday: 1, status: 'active', consent: { at: 'x', ip: null, source: 't' } }).subscriber;
    const good = signToken(w.app.secrets, s.id, 'preferences');
    expect((await w.server.inject({ url: `/preferences/${good}` })).statusCode).toBe(200);
    const flip = good.slice(0, -1) + (good.endsWith('A') ? 'B' : 'A');
    const bad = [flip, signToken(w.app.secrets, s.id, 'unsubscribe'), signToken(['another-secret-another-secret-123456'], s.id, 'preferences'), good.slice(0, -3), `${s.id + 1}.${good.split('.')[1]}`, 'x'];
    const bodies = new Set<string>();
    for (const t of bad) {
      const r = await w.server.inject({ url: `/preferences/${encodeURIComponent(t)}` });
      expect(r.statusCode, t).toBe(404);
      bodies.add(r.body);
    }
    expect(bodies.size).toBe(1);
    const rotated = signToken(['old-secret-old-secret-old-secret-0000'], s.id, 'preferences');
    const app2 = { secrets: ['new-secret-new-secret-new-secret-1111', 'old-secret-old-secret-old-secret-0000'] };
    const { verifySigned } = await import('../../src/subscribe/tokens.ts');
    expect(verifySigned(app2.secrets, rotated, 'preferences')).toBe(s.id);
  });

  it('preferences POST changes topics and cadence; GET changes nothing', async () => {
    const w = await world();
    const s = w.app.subscribers.upsert({ email: 'p@example.org', topics: null, cadence: 'daily', weekday: 1, status: 'active', consent: { at: 'x', ip: null, source: 't' } }).subscriber;
    const token = signToken(w.app.secrets, s.id, 'preferences');
    const before = w.snapshot();
    await w.server.inject({ url: `/preferences/${token}` });
    await w.server.inject({ url: `/unsubscribe/${signToken(w.app.secrets, s.id, 'unsubscribe')}` });
    expect(w.snapshot()).toBe(before);
    const r = await w.post(`/preferences/${token}`, { topics: ['robotics', 'nonsense'], cadence: 'weekly', weekday: '5' });
    expect(r.body).toContain('Saved.');
    expect(w.app.subscribers.get(s.id)).toMatchObject({ topics: ['robotics'], cadence: 'weekly', weekday: 5 });
  });

  it('one-click unsubscribe exactly as Gmail sends it: 200, unsubscribed in that request, idempotent', async () => {
    const w = await world();
    const s = w.app.subscribers.upsert({ email: 'u@example.org', topics: null, cadence: 'daily', weekday: 1, status: 'active', consent: { at: 'x', ip: null, source: 't' } }).subscriber;
    const url = `/unsubscribe/${signToken(w.app.secrets, s.id, 'unsubscribe')}`;
    const gmail = () => w.server.inject({ method: 'POST', url, payload: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect((await gmail()).statusCode).toBe(200);
    expect(w.app.subscribers.get(s.id)!.status).toBe('unsubscribed');
    expect((await gmail()).statusCode).toBe(200);
    const multipart = await w.server.inject({ method: 'POST', url, payload: '--x\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--x--\r\n', headers: { 'content-type': 'multipart/form-data; boundary=x' } });
    expect(multipart.statusCode).toBe(200);
    // Re-subscribing needs a new opt-in.
    await w.post('/subscribe', { email: 'u@example.org' });
    expect(w.app.subscribers.get(s.id)!.status).toBe('pending');
  });
});

describe('abuse', () => {
  it('rate limits per IP (429) and per address (same page, no mail)', async () => {
    const w = await world({ perIpPerHour: 3, perAddressPerDay: 2 });
    for (let i = 0; i < 2; i++) expect((await w.post('/subscribe', { email: 'same@example.org' })).statusCode).toBe(200);
    const third = await w.post('/subscribe', { email: 'same@example.org' });
    expect(third.statusCode).toBe(200);
    expect(w.sent).toHaveLength(2);
    expect((await w.post('/subscribe', { email: 'other@example.org' })).statusCode).toBe(429);
  });

  it('hostile input in every field never becomes markup and never reaches the store', async () => {
    const w = await world();
    const hostile = ['<script>alert(1)</script>@x.org', '"><img src=x onerror=alert(1)>', 'a@b.c\r\nBcc: x@y.z', 'x'.repeat(10_000) + '@example.org', '𝓊𝓃𝒾@例え.jp\u202e'];
    for (const email of hostile) {
      const r = await w.post('/subscribe', { email, topics: ['<script>', 'x'.repeat(5000)], cadence: 'daily' });
      expect([400, 413]).toContain(r.statusCode);
      expect(r.body).not.toContain('<script>');
      expect(r.body).not.toContain('onerror=');
    }
    expect((await w.post('/subscribe', { email: 'ok@example.org', cadence: '<b>monthly</b>' })).statusCode).toBe(400);
    expect((await w.post('/subscribe', { email: ['a@example.org', 'b@example.org'] })).statusCode).toBe(400);
    expect(w.app.subscribers.list()).toEqual([]);
    expect(w.sent).toEqual([]);
  });
});
