// A sender frozen (SIGSTOP) past the claim age, its rows taken over and sent by another: when it wakes, its late outcomes are dropped.
import { join } from 'node:path';
import { setImmediate as tick } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { openDb } from '../../src/store/db.ts';
import { RUN_LEASE } from '../../src/store/leases.ts';
import { perRecipient, startSmtp } from '../helpers/smtp.ts';
import { spawnCli } from '../helpers/tmp.ts';
import { DATE, setupDelivery } from './setup.ts';

const SUBSCRIBERS = 40;
const POOL = 5;
const BATCH = 20;

describe('a sender frozen past the claim age', () => {
  it('cannot overwrite the ledger when it wakes: no third copy, no duplicate beyond the messages it had in flight', { timeout: 120_000 }, async () => {
    let hold = true;
    const smtp = await startSmtp({ onData: () => (hold ? 'hold' : null) });
    const { app, env, emails, proj } = await setupDelivery(SUBSCRIBERS, smtp.url, { SMTP_POOL_CONNECTIONS: String(POOL), PAPERBOY_SEND_BATCH: String(BATCH) });
    await app.close();
    const db = openDb(join(proj.dataDir, 'paperboy.db'));
    try {
      const first = spawnCli(['send', '--date', DATE, '--json'], env);
      // Every pooled connection is waiting for the reply to its message: its first batch is `sending`, claimed
      // by it, POOL of those rows in flight and the rest not yet sent.
      while (smtp.held.length < POOL) await tick();
      first.child.kill('SIGSTOP');
      hold = false;
      // Its claims and its lease age past their limits (as 15 minutes asleep would make them), by the store's clock.
      const longAgo = new Date(Date.now() - 20 * 60_000).toISOString();
      expect(db.prepare("UPDATE deliveries SET updated_at = ? WHERE edition_id = ? AND status = 'sending'").run(longAgo, DATE).changes).toBe(BATCH);
      db.prepare('UPDATE leases SET expires_at = ? WHERE name = ?').run(longAgo, RUN_LEASE);

      const second = spawnCli(['send', '--date', DATE, '--json'], env);
      expect(await second.exited, second.stderr()).toBe(0);
      expect(JSON.parse(second.stdout())).toMatchObject({ sent: SUBSCRIBERS, reclaimed: BATCH, remaining: 0 });
      const inFlight = smtp.held.map((h) => h.to[0]!);

      // The frozen sender's messages reach the server after all, but their `250`s are lost on the wire; then it wakes.
      for (const h of smtp.held) h.acceptAndDrop();
      first.child.kill('SIGCONT');
      expect(await first.exited, first.stderr()).toBe(0);

      const counts = perRecipient(smtp.messages);
      for (const e of emails) expect(counts.get(e) ?? 0, e).toBeGreaterThanOrEqual(1);
      // The duplicates are the messages it had in flight, once each: it sent none of the batch rows it no
      // longer held, and nobody got a third copy.
      for (const e of inFlight) expect(counts.get(e), e).toBe(2);
      expect(smtp.messages.length - SUBSCRIBERS).toBe(POOL);
      // The ledger keeps what the second sender recorded, and the first said why it dropped its outcomes.
      expect(db.prepare("SELECT count(*) AS n FROM deliveries WHERE edition_id = ? AND status = 'sent'").get(DATE)).toEqual({ n: SUBSCRIBERS });
      expect(first.stderr().match(/dropped our late outcome/g)?.length, first.stderr()).toBe(POOL);
      expect(first.stderr().match(/not sent by us — our claim went stale/g)?.length, first.stderr()).toBe(BATCH - POOL);
      expect(smtp.errors).toEqual([]);
    } finally {
      db.close();
      await smtp.close();
    }
  });
});
