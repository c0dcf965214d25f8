// Confirmation requests per client, per address and overall, in a sliding window: the subscribe form's limits survive restarts.
import type { Db } from './db.ts';

/** The longest window a limit may use: older rows are swept. */
const MAX_WINDOW_MS = 24 * 3600_000;

export function confirmRequestsRepo(db: Db) {
  const prune = db.prepare('DELETE FROM confirm_requests WHERE key = ? AND at <= ?');
  const count = db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM confirm_requests WHERE key = ?');
  const insert = db.prepare('INSERT INTO confirm_requests (key, at) VALUES (?, ?)');
  // Keys that never come back (one request from each of many addresses) are swept now and then, not on every take.
  const sweep = db.prepare('DELETE FROM confirm_requests WHERE at <= ?');
  let takes = 0;
  const take = db.transaction((key: string, now: number, limit: number, windowMs: number): boolean => {
    if (++takes % 256 === 0) sweep.run(now - MAX_WINDOW_MS);
    prune.run(key, now - windowMs);
    if (count.get(key)!.n >= limit) return false;
    insert.run(key, now);
    return true;
  });
  return {
    /**
     * Records a request for `key` at `now` (ms) if fewer than `limit` fall in the last `windowMs` (at most a
     * day); says whether it did. BEGIN IMMEDIATE: two processes on one store count in turn, so both together
     * never pass the limit (the write lock is taken before the count is read, whatever the statements' order).
     */
    take: (key: string, now: number, limit: number, windowMs: number): boolean => take.immediate(key, now, limit, windowMs),
  };
}

export type ConfirmRequestsRepo = ReturnType<typeof confirmRequestsRepo>;
