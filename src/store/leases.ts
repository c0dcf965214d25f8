// Named leases in the store: at most one holder at a time across processes, expiring if the holder dies.
import { hostname } from 'node:os';
import { PaperboyError } from '../errors.ts';
import type { Db } from './db.ts';

/** The lease `run` and `send` share: one of them delivers at a time. */
export const RUN_LEASE = 'run';
/** Long enough for a big delivery; renewed while the work goes on, so a dead process frees it soon after. */
const RUN_LEASE_TTL_MS = 10 * 60_000;

/** A holder name `host:pid:what:token`: readable in messages, and lets this host tell a dead holder. */
export const newHolder = (what: string) => `${hostname()}:${process.pid}:${what}:${Math.random().toString(36).slice(2, 8)}`;

/**
 * Whether a holder (of a lease, or a claimed delivery row) may still be working. Only a process on this host
 * can be checked; anything else (another host, a name we cannot parse) counts as alive until it expires.
 */
export function holderAlive(holder: string | null): boolean {
  if (holder === null) return false;
  const [host, pidText] = holder.split(':');
  const pid = Number(pidText);
  if (host !== hostname() || !Number.isInteger(pid) || pid <= 0) return true;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // exists, but someone else's
  }
}

export function leasesRepo(db: Db) {
  const take = db.prepare(
    `INSERT INTO leases (name, holder, expires_at) VALUES (@name, @holder, @expiresAt)
     ON CONFLICT(name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
     WHERE leases.expires_at <= @now OR leases.holder = excluded.holder`,
  );
  // Compare-and-swap on the dead holder's name: two processes taking over at once cannot both win.
  const takeOver = db.prepare('UPDATE leases SET holder = @holder, expires_at = @expiresAt WHERE name = @name AND holder = @dead');
  const release = db.prepare('DELETE FROM leases WHERE name = ? AND holder = ?');
  const get = db.prepare<[string], { holder: string; expires_at: string }>('SELECT holder, expires_at FROM leases WHERE name = ?');

  return {
    /**
     * Takes (or renews) the lease if it is free, expired, already ours, or held by a process on this host
     * that is gone (a SIGKILLed sender must not block `paperboy send` for the rest of the TTL).
     */
    acquire(name: string, holder: string, now: Date, ttlMs: number): boolean {
      const expiresAt = new Date(now.getTime() + ttlMs).toISOString();
      if (take.run({ name, holder, now: now.toISOString(), expiresAt }).changes === 1) return true;
      const current = get.get(name);
      if (!current || holderAlive(current.holder)) return false;
      return takeOver.run({ name, holder, expiresAt, dead: current.holder }).changes === 1;
    },
    release(name: string, holder: string): void {
      release.run(name, holder);
    },
    holder(name: string): { holder: string; expiresAt: string } | null {
      const row = get.get(name);
      return row ? { holder: row.holder, expiresAt: row.expires_at } : null;
    },
  };
}

export type LeasesRepo = ReturnType<typeof leasesRepo>;

/**
 * Takes the run lease for `run` or `send` and keeps renewing it; throws LOCKED (exit code 75) when another
 * process holds it. Returns the release function.
 */
export function holdRunLease(db: Db, what: 'run' | 'send', now: () => Date): () => void {
  const leases = leasesRepo(db);
  const holder = newHolder(what);
  if (!leases.acquire(RUN_LEASE, holder, now(), RUN_LEASE_TTL_MS)) {
    const h = leases.holder(RUN_LEASE);
    throw new PaperboyError('LOCKED', `another run or send is in progress (${h?.holder ?? 'unknown'}, lease until ${h?.expiresAt ?? '?'}); not starting a second one`);
  }
  const renew = setInterval(() => {
    // A renewal that fails (the store busy past its timeout) must not crash a daemon mid-send: the lease
    // still has two thirds of its time, and the next renewal tries again.
    try {
      leases.acquire(RUN_LEASE, holder, now(), RUN_LEASE_TTL_MS);
    } catch (err) {
      process.stderr.write(`paperboy: could not renew the run lease: ${(err as Error).message}\n`);
    }
  }, RUN_LEASE_TTL_MS / 3);
  renew.unref();
  return () => {
    clearInterval(renew);
    leases.release(RUN_LEASE, holder);
  };
}
