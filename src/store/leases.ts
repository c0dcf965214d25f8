// Named leases in the store: at most one holder at a time across processes, expiring if the holder dies.
import type { Db } from './db.ts';

export function leasesRepo(db: Db) {
  const take = db.prepare(
    `INSERT INTO leases (name, holder, expires_at) VALUES (@name, @holder, @expiresAt)
     ON CONFLICT(name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
     WHERE leases.expires_at <= @now OR leases.holder = excluded.holder`,
  );
  const release = db.prepare('DELETE FROM leases WHERE name = ? AND holder = ?');
  const get = db.prepare<[string], { holder: string; expires_at: string }>('SELECT holder, expires_at FROM leases WHERE name = ?');

  return {
    /**
     * Takes (or renews) the lease if it is free, expired, or already ours. The upsert is one statement,
     * so two processes racing for it cannot both win.
     */
    acquire(name: string, holder: string, now: Date, ttlMs: number): boolean {
      const r = take.run({ name, holder, now: now.toISOString(), expiresAt: new Date(now.getTime() + ttlMs).toISOString() });
      return r.changes === 1;
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
