// A `send` killed with SIGKILL while it queues the day's recipients, then the next day's `run`: everyone still gets that digest.
import { join } from 'node:path';
import { setImmediate as tick } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { openDb } from '../../src/store/db.ts';
import { perRecipient, startSmtp } from '../helpers/smtp.ts';
import { spawnCli } from '../helpers/tmp.ts';
import { DATE, setupDelivery } from './setup.ts';

const SUBSCRIBERS = 2000;
const NEXT_DAY = '2026-11-25';

// Sends thousands of messages through child processes: under load (two busy cores) that takes minutes, not seconds.
describe('a send killed while it queues the recipients', () => {
  it('leaves nobody out: the next day’s run finishes queueing that edition and delivers it to all', { timeout: 240_000 }, async () => {
    const smtp = await startSmtp();
    const { app, env, emails, proj } = await setupDelivery(SUBSCRIBERS, smtp.url, { SMTP_POOL_CONNECTIONS: '5' });
    await app.close();
    const db = openDb(join(proj.dataDir, 'paperboy.db'));
    try {
      const first = spawnCli(['send', '--date', DATE, '--json'], env);
      let exited = false;
      void first.exited.then(() => (exited = true));
      // The first sign of the delivery in the store (a committed page of recipients, or the record that the
      // edition's delivery began) is the moment to kill it: it is queueing, and has sent nothing yet.
      const hasPlans = db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'delivery_plans'").get() as { n: number };
      const begun = db.prepare(
        hasPlans.n
          ? 'SELECT (SELECT count(*) FROM deliveries WHERE edition_id = @d) + (SELECT count(*) FROM delivery_plans WHERE edition_id = @d) AS n'
          : 'SELECT count(*) AS n FROM deliveries WHERE edition_id = @d',
      );
      while (!exited && (begun.get({ d: DATE }) as { n: number }).n === 0) await tick();
      const finishedFirst = exited;
      first.child.kill('SIGKILL');
      await first.exited;
      expect(finishedFirst, `the send finished before it could be killed: ${first.stderr()}`).toBe(false);
      const queuedAtKill = (db.prepare('SELECT count(*) AS n FROM deliveries WHERE edition_id = ?').get(DATE) as { n: number }).n;
      const sentAtKill = smtp.messages.length;

      // What runs next is the next day's run, not a `send` for the same date.
      const next = spawnCli(['run', '--date', NEXT_DAY, '--json'], env);
      expect(await next.exited, next.stderr()).toBe(0);
      const report = JSON.parse(next.stdout());
      console.log(`killed with ${queuedAtKill} queued and ${sentAtKill} sent; the next day's run sent ${report.delivery.sent}`);
      const counts = perRecipient(smtp.messages);
      for (const e of emails) expect(counts.get(e) ?? 0, e).toBeGreaterThanOrEqual(1);
      expect(smtp.messages.length).toBeLessThanOrEqual(SUBSCRIBERS + 5);
      expect(report.delivery).toMatchObject({ remaining: 0, failed: 0 });
      expect(db.prepare("SELECT count(*) AS n FROM deliveries WHERE edition_id = ? AND status = 'sent'").get(DATE)).toEqual({ n: SUBSCRIBERS });
      expect(smtp.errors).toEqual([]);
    } finally {
      db.close();
      await smtp.close();
    }
  });
});
