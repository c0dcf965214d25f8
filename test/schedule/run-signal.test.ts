// `paperboy run` stopped with SIGTERM mid-delivery (cron killed, systemctl stop): it stops safely, frees the lease, and the next run sends exactly the rest.
import { describe, expect, it } from 'vitest';
import { perRecipient, startSmtp } from '../helpers/smtp.ts';
import { spawnCli } from '../helpers/tmp.ts';
import { DATE, setupDelivery } from '../deliver/setup.ts';

const SUBSCRIBERS = 300;

describe('paperboy run and SIGTERM', () => {
  it('finishes the messages in flight, releases the lease, and the next run delivers the rest once', async () => {
    const smtp = await startSmtp();
    const { app, env, emails } = await setupDelivery(SUBSCRIBERS, smtp.url);
    await app.close();
    try {
      const first = spawnCli(['run', '--date', DATE, '--json'], env);
      const { child, exited } = first;
      await new Promise<void>((resolve, reject) => {
        const t = setInterval(() => {
          if (smtp.messages.length >= 20) {
            clearInterval(t);
            child.kill('SIGTERM');
            resolve();
          }
        }, 2);
        void exited.then(() => {
          clearInterval(t);
          reject(new Error(`run exited before the signal: ${first.stderr()}`));
        });
      });
      const code = await exited;
      expect(first.stderr()).toMatch(/stopping after the messages in flight/);
      // It stopped early and said so in its report, not by dying.
      expect(code, first.stderr()).toBe(0);
      const stopped = smtp.messages.length;
      expect(stopped).toBeLessThan(SUBSCRIBERS);
      expect(JSON.parse(first.stdout()).delivery.remaining).toBeGreaterThan(0);
      // The lease is free at once (no 10-minute wait), and the next run sends exactly the rest.
      const next = spawnCli(['run', '--date', DATE, '--json'], env);
      expect(await next.exited, next.stderr()).toBe(0);
      const counts = perRecipient(smtp.messages);
      for (const e of emails) expect(counts.get(e) ?? 0, e).toBe(1);
      expect(smtp.messages).toHaveLength(SUBSCRIBERS);
    } finally {
      await smtp.close();
    }
  });
});
