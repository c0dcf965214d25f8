// Delivery against a real SMTP server on loopback: headers, exactly-once through faults, bounces, pause, stop/resume.
import { simpleParser } from 'mailparser';
import { afterEach, describe, expect, it } from 'vitest';
import { deliver } from '../../src/deliver/send.ts';
import { deliveriesRepo } from '../../src/store/deliveries.ts';
import { perRecipient, startSmtp, type TestSmtp } from '../helpers/smtp.ts';
import { DATE, setupDelivery, type DeliverySetup } from './setup.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});
async function world(n: number, smtpOpts: Parameters<typeof startSmtp>[0] = {}): Promise<DeliverySetup & { smtp: TestSmtp }> {
  const smtp = await startSmtp(smtpOpts);
  const setup = await setupDelivery(n, smtp.url, { SMTP_POOL_CONNECTIONS: '3' });
  cleanups.push(async () => {
    await setup.app.close();
    await smtp.close();
  });
  return { ...setup, smtp };
}
const fast = { retryDelaysMs: [5, 10, 20] };

describe('digest messages', () => {
  it('are multipart/alternative (text first) with the list headers providers require, and only their own links', async () => {
    const w = await world(3);
    const r = await deliver(w.app, { date: DATE, ...fast });
    expect(r).toMatchObject({ sent: 3, failed: 0, skipped: 0, remaining: 0, paused: false });
    expect(w.smtp.messages).toHaveLength(3);
    const msg = w.smtp.messages.find((m) => m.to[0] === 'reader1@example.org')!;
    for (const line of msg.raw.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(998);
    expect(msg.raw.indexOf('Content-Type: text/plain')).toBeLessThan(msg.raw.indexOf('Content-Type: text/html'));
    const parsed = await simpleParser(msg.raw);
    expect(parsed.from?.value[0]).toMatchObject({ name: 'Paperboy', address: 'news@papers.example.org' });
    expect(parsed.date).toBeInstanceOf(Date);
    const id = w.app.subscribers.findByEmail('reader1@example.org')!.id;
    expect(parsed.messageId).toBe(`<${DATE}.${id}.paperboy@papers.example.org>`);
    expect(parsed.subject).toMatch(/^paperboy — \d+ new papers, 24 Nov 2026: /);
    const header = (name: string) => parsed.headerLines.find((h) => h.key === name)?.line ?? '';
    expect(header('list-unsubscribe-post')).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    expect(header('list-unsubscribe').replace(/\r?\n\s+/g, ' ')).toMatch(/^List-Unsubscribe: <https:\/\/papers\.example\.org\/unsubscribe\/\d+\.[\w-]+>, <mailto:news@papers\.example\.org\?subject=unsubscribe%20\d+>$/);
    expect(header('list-id')).toBe('List-Id: paperboy <paperboy.papers.example.org>');
    expect(header('list-archive')).toBe('List-Archive: <https://papers.example.org/archive/>');
    const unsub = /<(https:[^>]+)>/.exec(header('list-unsubscribe'))![1]!;
    expect(parsed.text).toContain(unsub);
    expect(parsed.html).toContain(unsub);
    const others = w.smtp.messages.filter((m) => m !== msg).map((m) => /unsubscribe\/(\d+\.[\w-]+)/.exec(m.raw)![1]);
    for (const o of others) expect(parsed.html).not.toContain(o);
  });
});

describe('the ledger', () => {
  it('a second delivery for the same date sends nobody anything', async () => {
    const w = await world(4);
    await deliver(w.app, { date: DATE, ...fast });
    const again = await deliver(w.app, { date: DATE, ...fast });
    expect(again).toMatchObject({ queuedNow: 0, sent: 0 });
    expect(w.smtp.messages).toHaveLength(4);
  });

  it('survives 451s on a fifth of recipients and dropped connections: every subscriber gets exactly one message', async () => {
    const w = await world(40, {
      onRcpt: (_a, n) => (n % 5 === 0 ? 451 : null),
      onData: (n) => (n % 9 === 0 ? 'drop' : null),
    });
    const r = await deliver(w.app, { date: DATE, ...fast });
    expect(r).toMatchObject({ sent: 40, failed: 0, remaining: 0 });
    const counts = perRecipient(w.smtp.messages);
    expect(counts.size).toBe(40);
    for (const e of w.emails) expect(counts.get(e), e).toBe(1);
  });

  it('a 550 for one address fails only that address and counts a bounce', async () => {
    const w = await world(5, { onRcpt: (a) => (a === 'reader2@example.org' ? 550 : null) });
    const r = await deliver(w.app, { date: DATE, ...fast });
    expect(r).toMatchObject({ sent: 4, failed: 1 });
    expect(r.failures).toEqual([{ email: 'reader2@example.org', reply: expect.stringMatching(/^550/) }]);
    const id = w.app.subscribers.findByEmail('reader2@example.org')!.id;
    expect(deliveriesRepo(w.app.db).get(DATE, id)).toMatchObject({ status: 'failed' });
    // A second hard bounce (another day, say) disables the address.
    expect(w.app.subscribers.recordBounce(id)).toBe('bounced');
  });

  it('skips a subscriber who unsubscribed after being queued', async () => {
    const w = await world(3);
    const ledger = deliveriesRepo(w.app.db);
    const leaving = w.app.subscribers.findByEmail('reader0@example.org')!;
    ledger.queueMany(DATE, [{ subscriberId: leaving.id, selection: 'daily:*' }], new Date().toISOString());
    w.app.subscribers.unsubscribe(leaving.id, new Date().toISOString());
    const r = await deliver(w.app, { date: DATE, ...fast });
    expect(r).toMatchObject({ sent: 2, skipped: 1 });
    expect(perRecipient(w.smtp.messages).has('reader0@example.org')).toBe(false);
  });

  it('pauses after too many consecutive failures and leaves the rest queued', async () => {
    const w = await world(30, { onRcpt: () => 421 });
    const r = await deliver(w.app, { date: DATE, retryDelaysMs: [1], pauseAfter: 5 });
    expect(r.paused).toBe(true);
    expect(r.pauseReason).toMatch(/^5 deliveries in a row failed/);
    expect(r.sent).toBe(0);
    expect(r.remaining).toBe(30);
  });

  it('stops safely when aborted (SIGTERM) and the next delivery sends exactly the rest', async () => {
    const w = await world(30);
    const abort = new AbortController();
    const first = await deliver(w.app, { date: DATE, ...fast, signal: abort.signal, onProgress: (done) => done === 10 && abort.abort() });
    expect(first.stopped).toBe(true);
    expect(first.sent).toBeGreaterThanOrEqual(10);
    expect(first.sent).toBeLessThan(30);
    const second = await deliver(w.app, { date: DATE, ...fast });
    expect(first.sent + second.sent).toBe(30);
    const counts = perRecipient(w.smtp.messages);
    for (const e of w.emails) expect(counts.get(e), e).toBe(1);
  });
});
