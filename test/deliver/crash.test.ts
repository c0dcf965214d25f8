// A sender killed with SIGKILL mid-run, then `paperboy send` again: nobody lost, duplicates bounded by one claimed batch plus the messages in flight.
import { describe, expect, it } from 'vitest';
import { spawnCli } from '../helpers/tmp.ts';
import { perRecipient, startSmtp } from '../helpers/smtp.ts';
import { DATE, setupDelivery } from './setup.ts';

const SUBSCRIBERS = 2000;
const POOL = 5;
/** Larger than the pool: the bound is one batch plus the messages in flight, not the pool alone. */
const BATCH = 20;
const BOUND = BATCH + POOL;

function send(env: Record<string, string>) {
  const run = spawnCli(['send', '--date', DATE, '--json'], env);
  return { ...run, output: () => `${run.stdout()}${run.stderr()}` };
}

// Sends thousands of messages through child processes: under load (two busy cores) that takes minutes, not seconds.
describe('a sender killed mid-run', () => {
  it('resumes with every subscriber reached and at most one batch plus one pool of duplicates (batch 20 > pool 5)', { timeout: 240_000 }, async () => {
    const smtp = await startSmtp();
    const { app, env, emails } = await setupDelivery(SUBSCRIBERS, smtp.url, { SMTP_POOL_CONNECTIONS: String(POOL), PAPERBOY_SEND_BATCH: String(BATCH) });
    await app.close();
    try {
      const killAt = 300 + Math.floor(Math.random() * 1200);
      const first = send(env);
      await new Promise<void>((resolve, reject) => {
        const t = setInterval(() => {
          if (smtp.messages.length >= killAt) {
            clearInterval(t);
            first.child.kill('SIGKILL');
            resolve();
          }
        }, 2);
        first.exited.then((code) => {
          clearInterval(t);
          reject(new Error(`sender exited (${code}) before the kill point ${killAt}: ${first.output()}`));
        });
      });
      await first.exited;
      const atKill = smtp.messages.length;
      const second = send(env);
      expect(await second.exited, second.output()).toBe(0);
      const counts = perRecipient(smtp.messages);
      // None lost.
      for (const e of emails) expect(counts.get(e) ?? 0, e).toBeGreaterThanOrEqual(1);
      // Rows left `sending` by the dead process are resent (at-least-once): its claimed batch, and the
      // messages of the batch before still in flight when it was claimed.
      const duplicates = smtp.messages.length - SUBSCRIBERS;
      const report = JSON.parse(second.stdout());
      console.log(`killed after ${atKill} messages; ${report.reclaimed} rows reclaimed, ${duplicates} duplicates after resume (bound ${BOUND})`);
      expect(duplicates).toBeLessThanOrEqual(BOUND);
      // The dead sender's lease did not block the resume, and its `sending` rows were the ones resent.
      expect(report).toMatchObject({ remaining: 0, failed: 0 });
      expect(report.reclaimed).toBeLessThanOrEqual(BOUND);
      expect(duplicates).toBeLessThanOrEqual(report.reclaimed);
      // Not a TTY: plain progress lines on stderr, stdout pure JSON.
      expect(second.stderr()).toMatch(/^send: \d+\/\d+ \(\d+%\)/m);
      expect(smtp.errors).toEqual([]);
    } finally {
      await smtp.close();
    }
  });
});
