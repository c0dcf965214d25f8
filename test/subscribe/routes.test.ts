// Subscription routes through inject(): opt-in, tokens, GETs that change nothing, one-click POST, limits, hostile input.
import { afterEach, describe, expect, it } from 'vitest';
import { signToken, verifySigned } from '../../src/signed-links.ts';
import { closeAll, world } from './world.ts';

afterEach(closeAll);

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
    const known = await w.post('/subscribe', { email: 'known@example.org', topics: ['robotics'] });
    const unknown = await w.post('/subscribe', { email: 'unknown@example.org' });
    expect(known.statusCode).toBe(unknown.statusCode);
    expect(known.body).toBe(unknown.body);
    expect(w.sent.length).toBe(sentBefore + 1); // only the unknown address got a confirmation
    expect(w.app.subscribers.findByEmail('known@example.org')!.topics).toBeNull(); // a stranger cannot change an active choice
  });

  it('answers before the confirmation is sent: a slow mailer does not slow the response, and a failing one is logged', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let calls = 0;
    const w = await world({
      send: async (m, outbox) => {
        calls++;
        if (calls === 1) await gate; // the first send hangs until released
        if (calls === 2) throw new Error('smtp exploded');
        return outbox(m);
      },
    });
    const form = 'email=slow%40example.org';
    const answered = await Promise.race([
      w.server.inject({ method: 'POST', url: '/subscribe', payload: form, headers: { 'content-type': 'application/x-www-form-urlencoded' } }).then((r) => r.statusCode),
      new Promise((r) => setTimeout(() => r('timed out'), 3000)),
    ]);
    expect(answered).toBe(200);
    expect(w.sent).toHaveLength(0); // the mail is still on its way
    release();
    await w.tasks.idle();
    expect(w.sent.map((m) => m.to)).toEqual(['slow@example.org']);
    const failing = await w.post('/subscribe', { email: 'fails@example.org' });
    expect(failing.statusCode).toBe(200);
    expect(w.logged.join('\n')).toMatch(/confirmation to subscriber \d+ failed: smtp exploded/);
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

  it('confirming after unsubscribing from the confirmation email tells the truth and keeps the row unsubscribed', async () => {
    const w = await world();
    await w.post('/subscribe', { email: 'changed-mind@example.org' });
    const token = w.confirmToken();
    // The confirmation email's own List-Unsubscribe, used before the link.
    expect((await w.post(w.unsubscribePath(), { 'List-Unsubscribe': 'One-Click' })).statusCode).toBe(200);
    const id = w.app.subscribers.findByEmail('changed-mind@example.org')!.id;
    expect(w.app.subscribers.status(id)).toBe('unsubscribed');
    const page = await w.server.inject({ url: `/confirm/${token}` });
    expect(page.body).toContain('You are not subscribed');
    expect(page.body).not.toContain('<button type="submit">Confirm</button>');
    const confirmed = await w.post(`/confirm/${token}`);
    expect(confirmed.body).not.toContain('You are subscribed');
    expect(confirmed.body).toContain('unsubscribed after this link was sent');
    expect(w.app.subscribers.status(id)).toBe('unsubscribed');
  });
});

describe('signed links', () => {
  it('preferences: tampered, wrong-purpose, wrong-secret and truncated tokens give the same 404; rotated secrets still verify', async () => {
    const w = await world();
    const s = w.addActive('p@example.org');
    const good = signToken(w.app.secrets, s, 'preferences');
    expect((await w.server.inject({ url: `/preferences/${good}` })).statusCode).toBe(200);
    const flip = good.slice(0, -1) + (good.endsWith('A') ? 'B' : 'A');
    const bad = [flip, signToken(w.app.secrets, s, 'unsubscribe'), signToken(['another-secret-another-secret-123456'], s, 'preferences'), good.slice(0, -3), `${s.id + 1}.${good.split('.')[1]}`, 'x'];
    const bodies = new Set<string>();
    for (const t of bad) {
      const r = await w.server.inject({ url: `/preferences/${encodeURIComponent(t)}` });
      expect(r.statusCode, t).toBe(404);
      bodies.add(r.body);
    }
    expect(bodies.size).toBe(1);
    const rotated = signToken(['old-secret-old-secret-old-secret-0000'], s, 'preferences');
    const secrets = ['new-secret-new-secret-new-secret-1111', 'old-secret-old-secret-old-secret-0000'];
    expect(verifySigned(secrets, rotated, 'preferences', (id) => w.app.subscribers.get(id))?.id).toBe(s.id);
  });

  it('preferences POST changes topics and cadence; GET changes nothing', async () => {
    const w = await world();
    const s = w.addActive('p@example.org');
    const token = signToken(w.app.secrets, s, 'preferences');
    const before = w.snapshot();
    await w.server.inject({ url: `/preferences/${token}` });
    await w.server.inject({ url: `/unsubscribe/${signToken(w.app.secrets, s, 'unsubscribe')}` });
    expect(w.snapshot()).toBe(before);
    const r = await w.post(`/preferences/${token}`, { topics: ['robotics', 'nonsense'], cadence: 'weekly', weekday: '5' });
    expect(r.body).toContain('Saved.');
    expect(w.app.subscribers.get(s.id)).toMatchObject({ topics: ['robotics'], cadence: 'weekly', weekday: 5 });
  });

  it('one-click unsubscribe exactly as Gmail sends it: 200, unsubscribed in that request, idempotent', async () => {
    const w = await world();
    const s = w.addActive('u@example.org');
    const url = `/unsubscribe/${signToken(w.app.secrets, s, 'unsubscribe')}`;
    // Gmail: a form body, no cookie, and Origin/Sec-Fetch-Site of its own (cross-site) context.
    const gmail = () =>
      w.server.inject({ method: 'POST', url, payload: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://mail.google.com', 'sec-fetch-site': 'cross-site' } });
    expect((await gmail()).statusCode).toBe(200);
    expect(w.app.subscribers.get(s.id)!.status).toBe('unsubscribed');
    expect((await gmail()).statusCode).toBe(200);
    const multipart = await w.server.inject({ method: 'POST', url, payload: '--x\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--x--\r\n', headers: { 'content-type': 'multipart/form-data; boundary=x' } });
    expect(multipart.statusCode).toBe(200);
    // Re-subscribing needs a new opt-in: the row stays unsubscribed until the new link is confirmed.
    await w.post('/subscribe', { email: 'u@example.org' });
    expect(w.app.subscribers.get(s.id)!.status).toBe('unsubscribed');
    await w.post(`/confirm/${w.confirmToken()}`);
    expect(w.app.subscribers.get(s.id)!.status).toBe('active');
  });

  it('one-click accepts any body: none at all, no content type, application/octet-stream, text/plain', async () => {
    const w = await world();
    const variants: { payload?: string; headers: Record<string, string> }[] = [
      { headers: {} },
      { payload: 'List-Unsubscribe=One-Click', headers: {} },
      { payload: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/octet-stream' } },
      { payload: '\u0000\u00ff', headers: { 'content-type': 'application/octet-stream' } },
      { payload: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'text/plain' } },
      { payload: '{"x":', headers: { 'content-type': 'application/json' } },
    ];
    for (const [i, v] of variants.entries()) {
      const s = w.addActive(`oc${i}@example.org`);
      const r = await w.server.inject({ method: 'POST', url: `/unsubscribe/${signToken(w.app.secrets, s, 'unsubscribe')}`, payload: v.payload, headers: v.headers });
      expect(r.statusCode, JSON.stringify(v)).toBe(200);
      expect(w.app.subscribers.status(s.id)).toBe('unsubscribed');
    }
  });
});

describe('abuse', () => {
  it('rate limits per IP (429) and per address (same page, no mail)', async () => {
    const w = await world({ limits: { perIpPerHour: 3, perAddressPerDay: 2 } });
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
