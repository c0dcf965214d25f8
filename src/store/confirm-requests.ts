// Confirmation requests per client key and overall, in a sliding window: the subscribe form's limits survive restarts.
import type { Db } from './db.ts';

export function confirmRequestsRepo(db: Db) {
  const prune = db.prepare('DELETE FROM confirm_requests WHERE key = ? AND at <= ?');
  const count = db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM confirm_requests WHERE key = ?');
  const insert = db.prepare('INSERT INTO confirm_requests (key, at) VALUES (?, ?)');
  // Keys that never come back (one request from each of many addresses) are swept now and then, not on every take.
  const sweep = db.prepare('DELETE FROM confirm_requests WHERE at <= ?');
  let takes = 0;
  return {
    /** Records a request for `key` at `now` (ms) if fewer than `limit` fall in the last `windowMs`; says whether it did. */
    take: db.transaction((key: string, now: number, limit: number, windowMs: number): boolean => {
      if (++takes % 256 === 0) sweep.run(now - 24 * 3600_000);
      prune.run(key, now - windowMs);
      if (count.get(key)!.n >= limit) return false;
      insert.run(key, now);
      return true;
    }),
  };
}

export type ConfirmRequestsRepo = ReturnType<typeof confirmRequestsRepo>;
