// Rows deferred after temporary failures: shown with when they are due, and sent at once with --retry-deferred.
import { afterEach, describe, expect, it } from 'vitest';
import { formatDeliveryReport } from '../../src/commands/send.ts';
import { deliverStep } from '../../src/schedule/deliver-step.ts';
import { perRecipient, startSmtp } from '../helpers/smtp.ts';
import { cli } from '../helpers/tmp.ts';
import { DATE, NOW, setupDelivery } from './setup.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

describe('deferred deliveries', () => {
  it('are listed with their due time, wait when not asked, and go out now with --retry-deferred', async () => {
    let deferring = true;
    const smtp = await startSmtp({ onRcpt: (a) => (deferring && a === 'reader1@example.org' ? '451 4.7.1 greylisted, try again later' : null) });
    const w = await setupDelivery(4, smtp.url, { SMTP_POOL_CONNECTIONS: '2' });
    cleanups.push(async () => {
      await w.app.close();
      await smtp.close();
    });
    const fast = { date: DATE, progress: 'off' as const, retryDelaysMs: [5, 10, 20] };
    const first = await deliverStep(w.app, fast);
    const due = new Date(NOW.getTime() + 15 * 60_000).toISOString();
    expect(first).toMatchObject({ sent: 3, failed: 0, remaining: 1, deferred: 1 });
    expect(first.deferrals).toEqual([{ edition: DATE, email: 'reader1@example.org', due, attempts: 4, reply: '451 4.7.1 greylisted, try again later' }]);
    expect(first.summary).toContain(`1 still queued (1 deferred after a temporary failure, due from ${due})`);
    const text = formatDeliveryReport(first);
    expect(text).toContain(`  deferred reader1@example.org (${DATE}, 4 attempts) until ${due}: 451 4.7.1 greylisted, try again later`);
    expect(text).toContain('`paperboy send --retry-deferred` sends them now');

    // The operator fixed the server; a plain send still waits for the due time (the clock has not moved)...
    deferring = false;
    expect(await deliverStep(w.app, fast)).toMatchObject({ sent: 0, remaining: 1, deferred: 1 });
    // ...and --retry-deferred sends it now.
    expect(await deliverStep(w.app, { ...fast, retryDeferred: true })).toMatchObject({ sent: 1, remaining: 0, deferred: 0, deferrals: [] });
    expect(perRecipient(smtp.messages).get('reader1@example.org')).toBe(1);
  });

  it('`paperboy send --help` documents --retry-deferred', () => {
    expect(cli(['send', '--help'], {}).stdout).toMatch(/--retry-deferred +send rows waiting out a temporary failure/);
  });
});
