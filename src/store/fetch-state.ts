// Conditional-request state per source URL: the last answer's validators and body, so a 304 still yields the listing.
import type { Db } from './db.ts';

export interface CachedAnswer {
  etag: string | null;
  lastModified: string | null;
  body: Buffer;
}

export function fetchStateRepo(db: Db) {
  const get = db.prepare<[string], { etag: string | null; last_modified: string | null; body: Buffer }>(
    'SELECT etag, last_modified, body FROM fetch_state WHERE url = ?',
  );
  const put = db.prepare(
    `INSERT INTO fetch_state (url, etag, last_modified, body, fetched_at) VALUES (@url, @etag, @lastModified, @body, @fetchedAt)
     ON CONFLICT(url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified, body = excluded.body, fetched_at = excluded.fetched_at`,
  );
  const prune = db.prepare('DELETE FROM fetch_state WHERE fetched_at < ?');
  return {
    get(url: string): CachedAnswer | null {
      const r = get.get(url);
      return r ? { etag: r.etag, lastModified: r.last_modified, body: r.body } : null;
    },
    /** Remembers an answer only when the server offered a validator: without one a 304 can never come. */
    put(url: string, answer: CachedAnswer, now: Date): void {
      if (answer.etag === null && answer.lastModified === null) return;
      put.run({ url, etag: answer.etag, lastModified: answer.lastModified, body: answer.body, fetchedAt: now.toISOString() });
    },
    /** Forgets answers older than `before` (days leave the re-fetch window; their bodies are dead weight). */
    prune: (before: Date): number => prune.run(before.toISOString()).changes,
  };
}

export type FetchStateRepo = ReturnType<typeof fetchStateRepo>;
