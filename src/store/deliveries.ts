// The delivery ledger: every state change is its own committed statement, before and after each SMTP transaction.
import type { DeliveryStatus } from '../domain.ts';
import type { Db } from './db.ts';

export interface DeliveryRow {
  editionId: string;
  subscriberId: number;
  status: DeliveryStatus;
  selection: string;
  attempts: number;
  lastReply: string | null;
  nextAttemptAt: string | null;
}

interface Raw {
  edition_id: string;
  subscriber_id: number;
  status: DeliveryStatus;
  selection: string;
  attempts: number;
  last_reply: string | null;
  next_attempt_at: string | null;
}
const toRow = (r: Raw): DeliveryRow => ({
  editionId: r.edition_id,
  subscriberId: r.subscriber_id,
  status: r.status,
  selection: r.selection,
  attempts: r.attempts,
  lastReply: r.last_reply,
  nextAttemptAt: r.next_attempt_at,
});

export function deliveriesRepo(db: Db) {
  const queue = db.prepare(
    `INSERT OR IGNORE INTO deliveries (edition_id, subscriber_id, status, selection, updated_at) VALUES (?, ?, 'queued', ?, ?)`,
  );
  const setStatus = db.prepare(
    `UPDATE deliveries SET status = @status, attempts = attempts + @attempt, last_reply = COALESCE(@reply, last_reply),
       next_attempt_at = @nextAt, updated_at = @at, sent_at = CASE WHEN @status = 'sent' THEN @at ELSE sent_at END
     WHERE edition_id = @editionId AND subscriber_id = @subscriberId`,
  );
  return {
    /** Materializes recipients; a (edition, subscriber) pair is queued at most once, ever. Returns how many were new. */
    queueMany: db.transaction((editionId: string, rows: { subscriberId: number; selection: string }[], at: string): number => {
      let n = 0;
      for (const r of rows) n += queue.run(editionId, r.subscriberId, r.selection, at).changes;
      return n;
    }),

    /**
     * Rows to work on, in subscriber order, a page at a time: queued ones whose wait is over, and — the crash
     * policy — `sending` rows left by a process that died mid-transaction (at-least-once: they are sent again).
     */
    pending(editionId: string, afterSubscriber: number, limit: number, now: string): DeliveryRow[] {
      return db
        .prepare<[string, number, string, number], Raw>(
          `SELECT * FROM deliveries WHERE edition_id = ? AND subscriber_id > ? AND status IN ('queued', 'sending')
             AND (next_attempt_at IS NULL OR next_attempt_at <= ?) ORDER BY subscriber_id LIMIT ?`,
        )
        .all(editionId, afterSubscriber, now, limit)
        .map(toRow);
    },

    mark(editionId: string, subscriberId: number, status: DeliveryStatus, at: string, opts: { reply?: string; attempt?: boolean; nextAt?: string | null } = {}): void {
      setStatus.run({ editionId, subscriberId, status, at, reply: opts.reply ?? null, attempt: opts.attempt ? 1 : 0, nextAt: opts.nextAt ?? null });
    },

    /** Failed rows of an edition go back to the queue (`paperboy send --resend-failed`). */
    requeueFailed(editionId: string, at: string): number {
      return db.prepare("UPDATE deliveries SET status = 'queued', attempts = 0, next_attempt_at = NULL, updated_at = ? WHERE edition_id = ? AND status = 'failed'").run(at, editionId).changes;
    },

    counts(editionId: string): Record<DeliveryStatus, number> {
      const out: Record<DeliveryStatus, number> = { queued: 0, sending: 0, sent: 0, failed: 0, skipped: 0 };
      for (const r of db.prepare('SELECT status, count(*) AS n FROM deliveries WHERE edition_id = ? GROUP BY status').all(editionId) as { status: DeliveryStatus; n: number }[]) out[r.status] = r.n;
      return out;
    },

    failures(editionId: string, limit = 20): { email: string; reply: string }[] {
      return db
        .prepare(
          `SELECT s.email, d.last_reply AS reply FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id
           WHERE d.edition_id = ? AND d.status = 'failed' ORDER BY d.subscriber_id LIMIT ?`,
        )
        .all(editionId, limit) as { email: string; reply: string }[];
    },

    get(editionId: string, subscriberId: number): DeliveryRow | null {
      const r = db.prepare<[string, number], Raw>('SELECT * FROM deliveries WHERE edition_id = ? AND subscriber_id = ?').get(editionId, subscriberId);
      return r ? toRow(r) : null;
    },
  };
}

export type DeliveriesRepo = ReturnType<typeof deliveriesRepo>;
