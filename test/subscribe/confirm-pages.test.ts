// The confirmation pages past the happy path: resending an expired link, a row that bounced meanwhile, the TTL wording.
import { afterEach, describe, expect, it } from 'vitest';
import { CONFIRM_TTL_HOURS, signToken } from '../../src/signed-links.ts';
import { closeAll, world } from './world.ts';

afterEach(closeAll);

const START = Date.parse('2026-11-24T07:00:00Z');
const afterTtl = (extraMs = 1000) => new Date(START + CONFIRM_TTL_HOURS * 3600_000 + extraMs).toISOString();

describe('POST /confirm/:token/resend', () => {
  it('an expired link for a pending address: a new link by email, which confirms; the old one is gone', async () => {
    const w = await world();
    await w.post('/subscribe', { email: 'slow@example.org', topics: ['robotics'] });
    const old = w.confirmToken();
    w.setNow(afterTtl());
    const expired = await w.server.inject({ url: `/confirm/${old}` });
    expect(expired.statusCode).toBe(410);
    expect(expired.body).toContain(`Confirmation links work for ${CONFIRM_TTL_HOURS} hours.`);
    const r = await w.post(`/confirm/${old}/resend`);
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('Check your inbox');
    expect(r.body).toContain('href="../../index.html"'); // two levels down from the site root
    expect(w.sent.map((m) => m.to)).toEqual(['slow@example.org', 'slow@example.org']);
    const fresh = w.confirmToken();
    expect(fresh).not.toBe(old);
    expect((await w.post(`/confirm/${old}`)).statusCode).toBe(404);
    expect((await w.post(`/confirm/${fresh}`)).body).toContain('You are subscribed');
    expect(w.app.subscribers.findByEmail('slow@example.org')).toMatchObject({ status: 'active', topics: ['robotics'] });
  });

  it('someone who unsubscribed and asked again can resend; the row stays unsubscribed until the new link is confirmed', async () => {
    const w = await world();
    const s = w.addActive('back@example.org');
    await w.post(`/unsubscribe/${signToken(w.app.secrets, s, 'unsubscribe')}`);
    await w.post('/subscribe', { email: 'back@example.org' });
    const old = w.confirmToken();
    w.setNow(afterTtl());
    expect((await w.post(`/confirm/${old}/resend`)).statusCode).toBe(200);
    expect(w.sent).toHaveLength(2);
    expect(w.app.subscribers.status(s.id)).toBe('unsubscribed');
    await w.post(`/confirm/${w.confirmToken()}`);
    expect(w.app.subscribers.status(s.id)).toBe('active');
  });

  it('a link that has not expired, a used one, or garbage: 404 and no mail', async () => {
    const w = await world();
    await w.post('/subscribe', { email: 'fresh@example.org' });
    const live = w.confirmToken();
    const before = w.snapshot();
    const r = await w.post(`/confirm/${live}/resend`);
    expect(r.statusCode).toBe(404);
    expect(r.body).toContain('Link not valid');
    expect(w.snapshot()).toBe(before);
    await w.post(`/confirm/${live}`);
    expect((await w.post(`/confirm/${live}/resend`)).statusCode).toBe(404);
    expect((await w.post('/confirm/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/resend')).statusCode).toBe(404);
    expect(w.sent).toHaveLength(1);
  });

  it('an expired link for an address that bounced meanwhile: the same page, and nothing is sent', async () => {
    const w = await world();
    await w.post('/subscribe', { email: 'dead@example.org' });
    const old = w.confirmToken();
    w.app.subscribers.markBounced(w.app.subscribers.findByEmail('dead@example.org')!.id);
    w.setNow(afterTtl());
    const r = await w.post(`/confirm/${old}/resend`);
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('Check your inbox');
    expect(w.sent).toHaveLength(1);
  });
});

describe('POST /confirm/:token', () => {
  it('for a row that bounced after the link was sent: "Not subscribed", and it stays bounced', async () => {
    const w = await world();
    await w.post('/subscribe', { email: 'bouncing@example.org' });
    const token = w.confirmToken();
    const id = w.app.subscribers.findByEmail('bouncing@example.org')!.id;
    w.app.subscribers.markBounced(id);
    const r = await w.post(`/confirm/${token}`);
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('Not subscribed');
    expect(r.body).toContain('Mail to this address has been bouncing');
    expect(r.body).not.toContain('You are subscribed');
    expect(w.app.subscribers.status(id)).toBe('bounced');
  });

  it('the pages state the link lifetime from CONFIRM_TTL_HOURS', async () => {
    const w = await world();
    const r = await w.post('/subscribe', { email: 'ttl@example.org' });
    expect(r.body).toContain(`The link works for ${CONFIRM_TTL_HOURS} hours.`);
    const token = w.confirmToken();
    w.setNow(afterTtl());
    expect((await w.post(`/confirm/${token}`)).body).toContain(`Confirmation links work for ${CONFIRM_TTL_HOURS} hours.`);
  });
});
