// `paperboy send` as a process: it shares the run lease, two at once never double-send, progress stays off stdout.
import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDb } from '../../src/store/db.ts';
import { leasesRepo, RUN_LEASE } from '../../src/store/leases.ts';
import { perRecipient, startSmtp } from '../helpers/smtp.ts';
import { cli, spawnCli } from '../helpers/tmp.ts';
import { DATE, setupDelivery } from './setup.ts';

async function send(env: Record<string, string>, args: string[] = []) {
  const run = spawnCli(['send', '--date', DATE, '--json', ...args], env);
  const code = await run.exited;
  return { code, stdout: run.stdout(), stderr: run.stderr() };
}

describe('paperboy send', () => {
  it('waits its turn: a held run lease exits 75 with one line and sends nothing', async () => {
    const smtp = await startSmtp();
    const { app, env, proj } = await setupDelivery(3, smtp.url);
    await app.close();
    const db = openDb(join(proj.dataDir, 'paperboy.db'));
    try {
      leasesRepo(db).acquire(RUN_LEASE, 'other-host:4242:run:abc', new Date(), 10 * 60_000);
      const r = cli(['send', '--date', DATE], env); // exits before any SMTP, so spawnSync is fine
      expect(r.status).toBe(75);
      expect(r.stderr.trim()).toMatch(/^paperboy: another run or send is in progress \(other-host:4242:run:abc, lease until .*\); not starting a second one$/);
      expect(smtp.messages).toHaveLength(0);
      // A holder on this host whose process is gone (SIGKILLed) does not block for the rest of its lease.
      const gone = spawnSync(process.execPath, ['-e', '0']).pid!;
      db.prepare('UPDATE leases SET holder = ? WHERE name = ?').run(`${hostname()}:${gone}:send:dead`, RUN_LEASE);
      // (spawned, not spawnSync: the SMTP server lives in this process and must keep answering)
      const after = await send(env);
      expect(after.code, after.stderr).toBe(0);
      expect(JSON.parse(after.stdout)).toMatchObject({ sent: 3 });
    } finally {
      db.close();
      await smtp.close();
    }
  });

  it('two sends started at once deliver each digest once; progress goes to stderr as plain lines', async () => {
    const smtp = await startSmtp();
    const { app, env, emails } = await setupDelivery(400, smtp.url, { SMTP_POOL_CONNECTIONS: '3' });
    await app.close();
    try {
      const [a, b] = await Promise.all([send(env), send(env)]);
      expect(smtp.messages).toHaveLength(400);
      const counts = perRecipient(smtp.messages);
      for (const e of emails) expect(counts.get(e), e).toBe(1);
      // One of them got the lease; the other either found it taken (75) or came after and found nothing to send.
      expect([a.code, b.code].sort()).toEqual(expect.arrayContaining([0]));
      for (const r of [a, b]) {
        expect([0, 75]).toContain(r.code);
        if (r.code !== 0) continue;
        // stdout is pure JSON even though stderr is not a TTY and gets progress lines
        const report = JSON.parse(r.stdout);
        if (report.sent > 0) expect(r.stderr).toMatch(/^send: \d+\/\d+ \(\d+%\), \d+ s, \d+\/s$/m);
      }
    } finally {
      await smtp.close();
    }
  });
});
