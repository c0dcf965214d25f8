// Delivery against a real SMTP server on loopback: headers, exactly-once through faults, bounces, pause, stop/resume.
import { getEventListeners } from 'node:events';
import { simpleParser } from 'mailparser';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { parseConfig } from '../../src/config.ts';
import { deliver } from '../../src/deliver/send.ts';
import { deliveriesRepo } from '../../src/store/deliveries.ts';
import { perRecipient, startSmtp, type TestSmtp } from '../helpers/smtp.ts';
import { DATE, NOW, setupDelivery, type DeliverySetup } from './setup.ts';

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
const bounces = (w: DeliverySetup) => w.app.db.prepare('SELECT email, bounce_count AS n FROM subscribers WHERE bounce_count > 0').all();

/** The body lines of every quoted-printable part of a raw message. */
function qpLines(raw: string): string[] {
  const boundary = /boundary="([^"]+)"/.exec(raw)![1]!;
  return raw
    .split(`--${boundary}`)
    .filter((part) => /Content-Transfer-Encoding: quoted-printable/i.test(part))
    .flatMap((part) => part.slice(part.indexOf('\r\n\r\n') + 4).split('\r\n'));
}

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
    const { publicId } = w.app.subscribers.findByEmail('reader1@example.org')!;
    // The opaque public id, never the sequential one (which would tell the list's size).
    expect(parsed.messageId).toBe(`<${DATE}.${publicId}.paperboy@papers.example.org>`);
    expect(parsed.subject).toMatch(/^paperboy — \d+ new papers, 24 Nov 2026: /);
    const header = (name: string) => parsed.headerLines.find((h) => h.key === name)?.line ?? '';
    expect(header('list-unsubscribe-post')).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    expect(header('list-unsubscribe').replace(/\r?\n\s+/g, ' ')).toMatch(new RegExp(`^List-Unsubscribe: <https://papers\\.example\\.org/unsubscribe/${publicId}\\.[\\w-]+>, <mailto:news@papers\\.example\\.org\\?subject=unsubscribe%20${publicId}>$`));
    expect(header('list-id')).toBe('List-Id: paperboy <paperboy.papers.example.org>');
    expect(header('list-archive')).toBe('List-Archive: <https://papers.example.org/archive/>');
    const unsub = /<(https:[^>]+)>/.exec(header('list-unsubscribe'))![1]!;
    expect(parsed.text).toContain(unsub);
    expect(parsed.html).toContain(unsub);
    const others = w.smtp.messages.filter((m) => m !== msg).map((m) => /unsubscribe\/([0-9a-f]{20}\.[\w-]+)/.exec(m.raw)![1]);
    for (const o of others) expect(parsed.html).not.toContain(o);
  });

  it('keep every quoted-printable line within 76 characters, filled-in links included (RFC 2045)', async () => {
    const w = await world(2);
    await deliver(w.app, { date: DATE, ...fast });
    for (const m of w.smtp.messages) {
      const lines = qpLines(m.raw);
      expect(lines.length).toBeGreaterThan(100);
      const long = lines.filter((l) => l.length > 76);
      expect(long, long[0]).toEqual([]);
      // and the soft breaks around the filled-in parts decode back to the whole link
      const unsub = /List-Unsubscribe:\s+<(https:[^>]+)>/.exec(m.raw)![1]!;
      expect((await simpleParser(m.raw)).text).toContain(unsub);
    }
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
    expect(bounces(w)).toEqual([{ email: 'reader2@example.org', n: 1 }]);
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

  it('two senders at once on one ledger send each digest once (rows are claimed atomically)', async () => {
    const w = await world(60);
    // A second process on the same database file, with its own connection and SMTP pool.
    const other = createApp(parseConfig({ ...w.env, SMTP_POOL_CONNECTIONS: '3' }), { now: () => NOW });
    cleanups.unshift(() => other.close()); // before the server, which waits for open connections
    const [a, b] = await Promise.all([deliver(w.app, { date: DATE, ...fast }), deliver(other, { date: DATE, ...fast })]);
    expect(a.sent + b.sent).toBe(60);
    expect(w.smtp.messages).toHaveLength(60);
    for (const e of w.emails) expect(perRecipient(w.smtp.messages).get(e), e).toBe(1);
    expect(deliveriesRepo(w.app.db).counts(DATE)).toMatchObject({ sent: 60, queued: 0, sending: 0 });
  });

  it('a server that answers 550 to everyone pauses the run, counts no bounce, and the next send delivers all', async () => {
    let broken = true;
    const w = await world(30, { onRcpt: () => (broken ? 550 : null) });
    const r = await deliver(w.app, { date: DATE, ...fast, pauseAfter: 5 });
    expect(r).toMatchObject({ paused: true, sent: 0, failed: 0, remaining: 30 });
    expect(r.pauseReason).toMatch(/^5 deliveries in a row failed \(last: 550 .*\); they are queued again and none was counted as a bounce — fix the mail server, then run `paperboy send`$/);
    expect(bounces(w)).toEqual([]);
    expect(deliveriesRepo(w.app.db).counts(DATE)).toMatchObject({ queued: 30, failed: 0, sending: 0 });
    broken = false;
    const again = await deliver(w.app, { date: DATE, ...fast });
    expect(again).toMatchObject({ sent: 30, failed: 0, remaining: 0 });
    for (const e of w.emails) expect(perRecipient(w.smtp.messages).get(e), e).toBe(1);
  });

  it('retries wait outside the workers: a deferring server does not stall the list', async () => {
    const deferred = new Set<string>();
    const rcpts: string[] = [];
    // Every address is deferred once (451 on its first RCPT), then accepted.
    const w = await world(10, { onRcpt: (a) => (rcpts.push(a), deferred.has(a) ? null : (deferred.add(a), 451)) });
    const abort = new AbortController();
    // One worker and a 400 ms wait: a worker sleeping in place would retry each address before the next one.
    const r = await deliver(w.app, { date: DATE, retryDelaysMs: [400], concurrency: 1, signal: abort.signal });
    expect(r).toMatchObject({ sent: 10, remaining: 0 });
    // The whole list was tried once before the first retry (the order of RCPTs, not the clock, shows it).
    expect(new Set(rcpts.slice(0, 10)).size).toBe(10);
    expect(rcpts).toHaveLength(20);
    for (const e of w.emails) expect(perRecipient(w.smtp.messages).get(e), e).toBe(1);
    // Waiting for retries left no listener behind on the signal (MaxListenersExceededWarning with many 451s).
    expect(getEventListeners(abort.signal, 'abort')).toHaveLength(0);
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
