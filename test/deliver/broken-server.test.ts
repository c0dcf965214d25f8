// A server that refuses every recipient is a server problem at any list size: nobody is bounced; a real dead mailbox still is.
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.ts';
import { parseConfig } from '../../src/config.ts';
import { runOnce } from '../../src/schedule/run.ts';
import { deliverStep } from '../../src/schedule/deliver-step.ts';
import { deliveriesRepo } from '../../src/store/deliveries.ts';
import { perRecipient, startSmtp, type SmtpOptions } from '../helpers/smtp.ts';
import { SEEDS, spawnCli } from '../helpers/tmp.ts';
import { DATE, setupDelivery, type DeliverySetup } from './setup.ts';

const NEXT_DAY = '2026-11-25';
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function world(n: number, onRcpt: SmtpOptions['onRcpt']) {
  const smtp = await startSmtp({ onRcpt });
  const setup = await setupDelivery(n, smtp.url, { SMTP_POOL_CONNECTIONS: '3' });
  cleanups.push(async () => {
    await setup.app.close();
    await smtp.close();
  });
  return { ...setup, smtp };
}

/** A second edition the next day: another seed file arrives and a run without sending builds it. */
async function nextEdition(w: DeliverySetup): Promise<void> {
  copyFileSync(join(SEEDS, '000_85cfc0436d41684a.txt'), join(w.proj.seedsDir, 'next.txt'));
  await runOnce(w.app, { date: NEXT_DAY, send: false, trigger: 'cli' });
  expect(w.app.editions.get(NEXT_DAY)?.status).toBe('published');
}

const bounceState = (app: App) => app.db.prepare('SELECT email, status, bounce_count AS n FROM subscribers WHERE bounce_count > 0 OR status <> ? ORDER BY id').all('active');

describe('a server that refuses every recipient', () => {
  it('(10 subscribers, `550 relay not permitted`, two editions) bounces nobody, and send and run exit 5 saying the server refused', { timeout: 120_000 }, async () => {
    let broken = true;
    const w = await world(10, () => (broken ? '550 relay not permitted' : null));
    await w.app.close();
    const send = spawnCli(['send', '--date', DATE, '--json'], w.env);
    expect(await send.exited, send.stderr()).toBe(5);
    expect(send.stderr()).toMatch(/^paperboy: delivery paused: the mail server accepted no message and refused all 10 recipients it was offered \(last: 550 relay not permitted\); that is taken for a server problem, not dead mailboxes: nothing was counted as a bounce/m);
    expect(JSON.parse(send.stdout())).toMatchObject({ paused: true, sent: 0, failed: 0, remaining: 10 });

    // The next day: a new edition, and the run first resumes the one before; both are refused.
    copyFileSync(join(SEEDS, '000_85cfc0436d41684a.txt'), join(w.proj.seedsDir, 'next.txt'));
    const run = spawnCli(['run', '--date', NEXT_DAY, '--json'], w.env);
    expect(await run.exited, run.stderr()).toBe(5);
    const report = JSON.parse(run.stdout());
    expect(report.edition).toMatchObject({ id: NEXT_DAY, status: 'published' });
    expect(report.delivery).toMatchObject({ paused: true, sent: 0, failed: 0, remaining: 20, editions: [DATE, NEXT_DAY] });
    // Twenty refusals in a row pause it before the end (a small list would get the same verdict at its end).
    expect(report.delivery.pauseReason).toMatch(/\(last: 550 relay not permitted\).*(nothing|none) was counted as a bounce/);

    const { app } = setupAppAgain(w);
    expect(bounceState(app)).toEqual([]);
    expect(deliveriesRepo(app.db).counts(DATE)).toMatchObject({ queued: 10, failed: 0 });
    expect(deliveriesRepo(app.db).counts(NEXT_DAY)).toMatchObject({ queued: 10, failed: 0 });

    // Fixed: one `send` delivers both editions to everyone.
    broken = false;
    const after = spawnCli(['send', '--json'], w.env);
    expect(await after.exited, after.stderr()).toBe(0);
    expect(JSON.parse(after.stdout())).toMatchObject({ sent: 20, remaining: 0, paused: false });
    for (const e of w.emails) expect(perRecipient(w.smtp.messages).get(e), e).toBe(2);
  });

  it('(one subscriber, `550 5.1.1`) pauses instead of bouncing the only address, send after send', async () => {
    const w = await world(1, () => '550 5.1.1 <reader0@example.org>: Recipient address rejected: User unknown');
    for (let i = 0; i < 2; i++) {
      const r = await deliverStep(w.app, { date: DATE, progress: 'off' });
      expect(r).toMatchObject({ paused: true, sent: 0, failed: 0, remaining: 1 });
      expect(r.pauseReason).toMatch(/^the mail server accepted no message and refused the one recipient it was offered \(last: 550 5\.1\.1 .*\); that is taken for a server problem, not a dead mailbox/);
    }
    expect(bounceState(w.app)).toEqual([]);
    expect(deliveriesRepo(w.app.db).counts(DATE)).toMatchObject({ queued: 1, failed: 0 });
  });
});

describe('a dead mailbox on a working server', () => {
  it('(one address of ten answers `550 5.1.1`) is failed and counted each edition, and bounced after the second', async () => {
    const dead = 'reader3@example.org';
    const w = await world(10, (a) => (a === dead ? '550 5.1.1 <reader3@example.org>: Recipient address rejected: User unknown' : null));
    const first = await deliverStep(w.app, { date: DATE, progress: 'off' });
    expect(first).toMatchObject({ paused: false, sent: 9, failed: 1, failures: [{ email: dead, reply: expect.stringMatching(/^550 5\.1\.1/) }] });
    expect(bounceState(w.app)).toEqual([{ email: dead, status: 'active', n: 1 }]);
    await nextEdition(w);
    const second = await deliverStep(w.app, { date: NEXT_DAY, progress: 'off' });
    expect(second).toMatchObject({ paused: false, sent: 9, failed: 1 });
    expect(bounceState(w.app)).toEqual([{ email: dead, status: 'bounced', n: 2 }]);
  });
});

/** The CLI test closed the setup's app so the child processes own the store; a fresh one reads it afterwards. */
function setupAppAgain(w: DeliverySetup): { app: App } {
  const app = createApp(parseConfig(w.env));
  cleanups.unshift(() => app.close());
  return { app };
}
