// Rendered digests kept for a date (deliver/digest-parts.ts decides what they hold): read by the sender, written by a run.
import type { Db } from './db.ts';

export function digestPartsRepo(db: Db) {
  const byDate = db.prepare<[string, string], { selection: string; parts: string | null }>('SELECT selection, parts FROM digest_parts WHERE date = ? AND fingerprint = ?');
  const any = db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM digest_parts WHERE date = ?');
  const put = db.prepare('INSERT OR REPLACE INTO digest_parts (date, selection, fingerprint, parts, created_at) VALUES (?, ?, ?, ?, ?)');
  // Only the latest date's parts are kept (a digest is ~100 KB): an earlier edition's leftovers render in the sender.
  const prune = db.prepare('DELETE FROM digest_parts WHERE date <> ? OR fingerprint <> ?');
  return {
    /** Whether anything is stored for `date`, fresh or not: a cheap look before computing a fingerprint. */
    hasAny: (date: string): boolean => any.get(date)!.n > 0,
    /** The stored parts (JSON; null: no email for that selection) of `date` rendered from inputs with `fingerprint`. */
    get: (date: string, fingerprint: string): Map<string, string | null> => new Map(byDate.all(date, fingerprint).map((r) => [r.selection, r.parts])),
    /** Stores these selections' parts in one transaction, dropping every other date's and every stale row. */
    put(date: string, fingerprint: string, entries: [string, string | null][], at: string): void {
      db.transaction(() => {
        prune.run(date, fingerprint);
        for (const [selection, parts] of entries) put.run(date, selection, fingerprint, parts, at);
      })();
    },
  };
}

export type DigestPartsRepo = ReturnType<typeof digestPartsRepo>;
