// Cross-site form posts change nothing (except RFC 8058 one-click), re-subscribing keeps history, proxies and /64s.
import { afterEach, describe, expect, it } from 'vitest';
import { isCrossSite } from '../../src/server/http.ts';
import { clientKey } from '../../src/server/rate-limit.ts';
import { signToken } from '../../src/signed-links.ts';
import { closeAll, world } from './world.ts';

afterEach(closeAll);

const EVIL = { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' };

describe('cross-site posts', () => {
  it('are refused with 403 on /subscribe, confirm and preferences; one-click unsubscribe still works', async () => {
    const w = await world();
    const s = w.addActive('victim@example.org');
    w.app.subscribers.unsubscribe(s.id, '2026-11-20T00:00:00.000Z');
    const before = w.snapshot();
    for (const headers of <Record<string, string>[]>[EVIL, { origin: 'https://evil.example' }, { 'sec-fetch-site': 'cross-site' }, { origin: 'null' }, { origin: 'https://x.papers.example.org', 'sec-fetch-site': 'same-site' }]) {
      const r = await w.post('/subscribe', { email: 'victim@example.org' }, headers);
      expect(r.statusCode, JSON.stringify(headers)).toBe(403);
    }
    expect((await w.post(`/preferences/${signToken(w.app.secrets, s, 'preferences')}`, { topics: ['robotics'] }, EVIL)).statusCode).toBe(403);
    expect((await w.post('/confirm/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', {}, EVIL)).statusCode).toBe(403);
    expect(w.snapshot()).toBe(before);
    expect(w.sent).toEqual([]);

    // Same origin: the public Origin, or Sec-Fetch-Site (browsers with Sec-Fetch-Site say same-origin; older ones send our public Origin).
    for (const headers of <Record<string, string>[]>[{ origin: 'https://papers.example.org' }, { origin: 'null', 'sec-fetch-site': 'same-origin' }, {}]) {
      expect((await w.post('/subscribe', { email: 'friend@example.org' }, headers)).statusCode, JSON.stringify(headers)).toBe(200);
    }
    const other = w.addActive('leaving@example.org');
    expect((await w.post(`/unsubscribe/${signToken(w.app.secrets, other, 'unsubscribe')}`, { 'List-Unsubscribe': 'One-Click' }, EVIL)).statusCode).toBe(200);
    expect(w.app.subscribers.status(other.id)).toBe('unsubscribed');
  });

  it('isCrossSite: Sec-Fetch-Site decides when present, else the Origin', () => {
    const pub = 'https://papers.example.org';
    expect(isCrossSite({ 'sec-fetch-site': 'same-origin', origin: 'null' }, pub)).toBe(false);
    expect(isCrossSite({ 'sec-fetch-site': 'cross-site', origin: pub }, pub)).toBe(true);
    expect(isCrossSite({ origin: pub }, pub)).toBe(false);
    expect(isCrossSite({ origin: 'http://papers.example.org' }, pub)).toBe(true);
    expect(isCrossSite({}, pub)).toBe(false);
  });
});

describe('asking again keeps the record', () => {
  it('an unsubscribed row stays unsubscribed with its date and consent until the new link is confirmed', async () => {
    const w = await world();
    await w.post('/subscribe', { email: 'back@example.org' }, {}, '192.0.2.1');
    const s = w.app.subscribers.findByEmail('back@example.org')!;
    await w.post(`/confirm/${w.confirmToken()}`);
    w.setNow('2026-11-25T07:00:00Z');
    await w.post(`/unsubscribe/${signToken(w.app.secrets, s, 'unsubscribe')}`);
    const consent = w.app.subscribers.consent(s.id);
    w.setNow('2026-11-26T07:00:00Z');
    expect((await w.post('/subscribe', { email: 'back@example.org', topics: ['robotics'] }, {}, '198.51.100.7')).statusCode).toBe(200);
    expect(w.app.subscribers.status(s.id)).toBe('unsubscribed');
    expect(w.app.subscribers.history(s.id)).toEqual({ unsubscribedAt: '2026-11-25T07:00:00.000Z', bounceCount: 0 });
    expect(w.app.subscribers.consent(s.id)).toEqual(consent);
    expect(w.app.subscribers.request(s.id)).toEqual({ at: '2026-11-26T07:00:00.000Z', ip: '198.51.100.7', source: 'web-form' });
    await w.post(`/confirm/${w.confirmToken()}`);
    expect(w.app.subscribers.get(s.id)).toMatchObject({ status: 'active', topics: ['robotics'], confirmedAt: '2026-11-26T07:00:00.000Z' });
    expect(w.app.subscribers.consent(s.id)).toEqual({ at: '2026-11-26T07:00:00.000Z', ip: '198.51.100.7', source: 'web-form' });
    expect(w.app.subscribers.history(s.id)!.unsubscribedAt).toBe('2026-11-25T07:00:00.000Z');
  });

  it('a bounced address gets no confirmation, keeps its bounce count, and the answer is the same', async () => {
    const w = await world();
    const s = w.addActive('dead@example.org');
    w.app.subscribers.recordBounce(s.id);
    w.app.subscribers.recordBounce(s.id);
    expect(w.app.subscribers.status(s.id)).toBe('bounced');
    const bounced = await w.post('/subscribe', { email: 'dead@example.org' });
    const fresh = await w.post('/subscribe', { email: 'alive@example.org' });
    expect(bounced.statusCode).toBe(fresh.statusCode);
    expect(bounced.body).toBe(fresh.body);
    expect(w.sent.map((m) => m.to)).toEqual(['alive@example.org']);
    expect(w.app.subscribers.status(s.id)).toBe('bounced');
    expect(w.app.subscribers.history(s.id)).toEqual({ unsubscribedAt: null, bounceCount: 2 });
  });
});

describe('client addresses', () => {
  it('behind a trusted proxy, X-Forwarded-For is the client (consent record and rate limit)', async () => {
    const w = await world({ trustProxy: ['127.0.0.1'], limits: { perIpPerHour: 1, perAddressPerDay: 10 } });
    await w.post('/subscribe', { email: 'a@example.org' }, { 'x-forwarded-for': '203.0.113.9' });
    expect(w.app.subscribers.consent(w.app.subscribers.findByEmail('a@example.org')!.id)!.ip).toBe('203.0.113.9');
    // Another client behind the same proxy has its own budget; the same client does not.
    expect((await w.post('/subscribe', { email: 'b@example.org' }, { 'x-forwarded-for': '203.0.113.10' })).statusCode).toBe(200);
    expect((await w.post('/subscribe', { email: 'c@example.org' }, { 'x-forwarded-for': '203.0.113.9' })).statusCode).toBe(429);
  });

  it('untrusted (the default): X-Forwarded-For is ignored', async () => {
    const w = await world();
    await w.post('/subscribe', { email: 'a@example.org' }, { 'x-forwarded-for': '203.0.113.9' });
    expect(w.app.subscribers.consent(w.app.subscribers.findByEmail('a@example.org')!.id)!.ip).toBe('127.0.0.1');
  });

  it('IPv6 clients are limited per /64', async () => {
    expect(clientKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(clientKey('2001:DB8:1:2:ffff:ffff:ffff:ffff')).toBe('2001:db8:1:2::/64');
    expect(clientKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(clientKey('::1')).toBe('0:0:0:0::/64');
    expect(clientKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(clientKey('::ffff:192.0.2.1')).toBe('192.0.2.1');
    expect(clientKey('192.0.2.1')).toBe('192.0.2.1');
    const w = await world({ limits: { perIpPerHour: 2, perAddressPerDay: 10 } });
    expect((await w.post('/subscribe', { email: 'a@example.org' }, {}, '2001:db8:1:2::1')).statusCode).toBe(200);
    expect((await w.post('/subscribe', { email: 'b@example.org' }, {}, '2001:db8:1:2::2')).statusCode).toBe(200);
    expect((await w.post('/subscribe', { email: 'c@example.org' }, {}, '2001:db8:1:2:dead:beef:0:3')).statusCode).toBe(429);
    expect((await w.post('/subscribe', { email: 'd@example.org' }, {}, '2001:db8:1:3::1')).statusCode).toBe(200);
  });
});
