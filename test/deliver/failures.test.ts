// What a failed send counts as: only a recipient's mailbox failure is a bounce; login and policy refusals are not.
import { SMTPServer } from 'smtp-server';
import { describe, expect, it } from 'vitest';
import { smtpFailure } from '../../src/deliver/mailer.ts';
import { deliver } from '../../src/deliver/send.ts';
import { deliveriesRepo } from '../../src/store/deliveries.ts';
import { DATE, setupDelivery } from './setup.ts';

// Shaped like nodemailer's errors: code, command (the SMTP stage), responseCode, response.
const err = (code: string, command: string, response?: string) =>
  Object.assign(new Error('failed'), { code, command, ...(response ? { response, responseCode: Number(response.slice(0, 3)) } : {}) });
const kind = (e: unknown) => {
  const o = smtpFailure(e);
  return o.ok ? 'ok' : o.kind;
};

describe('smtpFailure', () => {
  it.each([
    ['RCPT 550, no enhanced code', err('EENVELOPE', 'RCPT TO', '550 mailbox unavailable'), 'bounce'],
    ['RCPT 551', err('EENVELOPE', 'RCPT TO', '551 user not local'), 'bounce'],
    ['RCPT 553', err('EENVELOPE', 'RCPT TO', '553 mailbox name not allowed'), 'bounce'],
    ['5.1.1 unknown user', err('EENVELOPE', 'RCPT TO', '550 5.1.1 <a@b>: Recipient address rejected'), 'bounce'],
    ['5.2.2 mailbox full, after DATA', err('EMESSAGE', 'DATA', '552 5.2.2 mailbox full'), 'bounce'],
    ['5.7.1 policy at RCPT', err('EENVELOPE', 'RCPT TO', '550 5.7.1 Service unavailable; client host blocked'), 'rejected'],
    ['5.1.8 bad sender domain', err('EENVELOPE', 'RCPT TO', '553 5.1.8 sender address domain does not exist'), 'rejected'],
    ['554 at DATA', err('EMESSAGE', 'DATA', '554 transaction failed'), 'rejected'],
    ['MAIL FROM refused', err('EENVELOPE', 'MAIL FROM', '550 sender rejected'), 'rejected'],
    ['wrong password', err('EAUTH', 'AUTH PLAIN', '535 5.7.8 Authentication credentials invalid'), 'server'],
    ['authentication required', err('EENVELOPE', 'MAIL FROM', '530 5.7.0 Authentication required'), 'server'],
    ['greeting refused', err('EPROTOCOL', 'CONN', '554 no SMTP service here'), 'server'],
    ['451 deferred', err('EENVELOPE', 'RCPT TO', '451 4.7.1 try again later'), 'temporary'],
    ['dropped connection', err('ECONNECTION', 'CONN'), 'temporary'],
    ['timeout', err('ETIMEDOUT', 'CONN'), 'temporary'],
  ])('%s → %s', (_name, e, expected) => {
    expect(kind(e)).toBe(expected);
  });
});

describe('a wrong SMTP password', () => {
  it('pauses at once with the login reply, counts no bounce and leaves every row queued', async () => {
    const server = new SMTPServer({
      logger: false,
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      onAuth: (_auth, _session, cb) => cb(Object.assign(new Error('Authentication credentials invalid'), { responseCode: 535 })),
      onData: (stream, _s, cb) => (stream.resume(), stream.on('end', () => cb())),
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.server.address() as { port: number }).port;
    const { app } = await setupDelivery(10, `smtp://news:wrong@127.0.0.1:${port}`, { SMTP_POOL_CONNECTIONS: '2' });
    try {
      const r = await deliver(app, { date: DATE, retryDelaysMs: [5] });
      expect(r).toMatchObject({ paused: true, sent: 0, failed: 0, remaining: 10 });
      expect(r.pauseReason).toMatch(/^the mail server refused our session or login, not a recipient \(535 .*\); nothing was counted as a bounce/);
      expect(app.db.prepare('SELECT count(*) AS n FROM subscribers WHERE bounce_count > 0 OR status = ?').get('bounced')).toEqual({ n: 0 });
      expect(deliveriesRepo(app.db).counts(DATE)).toMatchObject({ queued: 10, failed: 0, sending: 0 });
    } finally {
      await app.close();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
