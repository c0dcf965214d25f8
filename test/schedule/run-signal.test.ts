// `paperboy run` stopped with SIGTERM mid-delivery (cron killed, systemctl stop): it stops safely, frees the lease, and the next run sends exactly the rest.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { perRecipient, startSmtp } from '../helpers/smtp.ts';
import { BIN, ROOT } from '../helpers/tmp.ts';
import { DATE, setupDelivery } from '../deliver/setup.ts';

const SUBSCRIBERS = 300;

describe('paperboy run and SIGTERM', () => {
  it('finishes the messages in flight, releases the lease, and the next run delivers the rest once', async () => {
    const smtp = await startSmtp();
    const { app, env, emails } = await setupDelivery(SUBSCRIBERS, smtp.url);
    await app.close();
    try {
      const child = spawn(process.execPath, [BIN, 'run', '--date', DATE, '--json'], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.on('data', (c) => (out += c));
      child.stderr.on('data', (c) => (err += c));
      const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
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
          reject(new Error(`run exited before the signal: ${err}`));
        });
      });
      const code = await exited;
      expect(err).toMatch(/stopping after the messages in flight/);
      // It stopped early and said so in its report, not by dying.
      expect(code, err).toBe(0);
      const stopped = smtp.messages.length;
      expect(stopped).toBeLessThan(SUBSCRIBERS);
      expect(JSON.parse(out).delivery.remaining).toBeGreaterThan(0);
      // The lease is free at once (no 10-minute wait), and the next run sends exactly the rest. (Spawned, not
      // spawnSync: the SMTP server lives in this process and must keep answering.)
      const next = spawn(process.execPath, [BIN, 'run', '--date', DATE, '--json'], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
      let nextErr = '';
      next.stderr.on('data', (c) => (nextErr += c));
      expect(await new Promise((r) => next.on('exit', r)), nextErr).toBe(0);
      const counts = perRecipient(smtp.messages);
      for (const e of emails) expect(counts.get(e) ?? 0, e).toBe(1);
      expect(smtp.messages).toHaveLength(SUBSCRIBERS);
    } finally {
      await smtp.close();
    }
  });
});
