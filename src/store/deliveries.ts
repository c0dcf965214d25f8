// The delivery ledger: claims and outcomes are compare-and-set, so only a row's claim holder records its outcome.
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

/** The outcome of one claimed row, for a group commit. */
export interface Outcome {
  subscriberId: number;
  status: Exclude<DeliveryStatus, 'sending'>;
  reply?: string;
  nextAt?: string | null;
}

export function deliveriesRepo(db: Db) {
  const queue = db.prepare(
    `INSERT OR IGNORE INTO deliveries (edition_id, subscriber_id, status, selection, updated_at) VALUES (?, ?, 'queued', ?, ?)`,
  );
  // Compare-and-set: only the claim holder records an outcome, and only for a row still `sending`.
  const setStatus = db.prepare(
    `UPDATE deliveries SET status = @status, last_reply = COALESCE(@reply, last_reply), next_attempt_at = @nextAt, updated_at = @at,
       sent_at = CASE WHEN @status = 'sent' THEN @at ELSE sent_at END, claimed_by = NULL
     WHERE edition_id = @editionId AND subscriber_id = @subscriberId AND status = 'sending' AND claimed_by = @owner`,
  );
  // The only way into `sending`: a compare-and-set on `queued`, so two senders never both own a row.
  const claim = db.prepare<{ editionId: string; subscriberId: number; owner: string; at: string; ignoreWait: number }, { attempts: number }>(
    `UPDATE deliveries SET status = 'sending', claimed_by = @owner, attempts = attempts + 1, updated_at = @at
     WHERE edition_id = @editionId AND subscriber_id = @subscriberId AND status = 'queued'
       AND (@ignoreWait = 1 OR next_attempt_at IS NULL OR next_attempt_at <= @at)
     RETURNING attempts`,
  );
  // A batch of queued rows, due now, after `after` in subscriber order: one statement, so one transaction.
  const claimBatch = db.prepare<{ editionId: string; after: number; owner: string; at: string; limit: number }, { subscriber_id: number; attempts: number }>(
    `UPDATE deliveries SET status = 'sending', claimed_by = @owner, attempts = attempts + 1, updated_at = @at
     WHERE edition_id = @editionId AND status = 'queued' AND subscriber_id IN (
       SELECT subscriber_id FROM deliveries WHERE edition_id = @editionId AND subscriber_id > @after AND status = 'queued'
         AND (next_attempt_at IS NULL OR next_attempt_at <= @at) ORDER BY subscriber_id LIMIT @limit)
     RETURNING subscriber_id, attempts`,
  );
  // Every due subscriber queued by one statement, with the selection key selectionKey() makes (edition/digest.ts):
  // the cadence, then the distinct topic slugs sorted and comma-joined, or * for all topics.
  const selectionOf = `s.cadence || ':' || CASE WHEN s.topics IS NULL THEN '*' ELSE COALESCE((SELECT group_concat(DISTINCT value ORDER BY value) FROM json_each(s.topics)), '') END`;
  const due = `s.status = 'active' AND s.id <= @upto AND ((s.cadence = 'daily' AND @daily = 1) OR (s.cadence = 'weekly' AND @weekly = 1 AND s.weekday = @weekday))`;
  const queueDue = db.prepare<{ editionId: string; upto: number; daily: number; weekly: number; weekday: number; at: string }>(
    `INSERT OR IGNORE INTO deliveries (edition_id, subscriber_id, status, selection, updated_at)
     SELECT @editionId, s.id, 'queued', ${selectionOf}, @at FROM subscribers s WHERE ${due}`,
  );
  // The selections queueDue would queue now, most readers first: what a run renders ahead of the send (deliver/digest-parts.ts).
  const dueSelections = db.prepare<{ upto: number; daily: number; weekly: number; weekday: number; limit: number }, { selection: string }>(
    `SELECT ${selectionOf} AS selection FROM subscribers s WHERE ${due} GROUP BY selection ORDER BY count(*) DESC, selection LIMIT @limit`,
  );
  const queuedSelections = db.prepare<[string, number], { selection: string }>(
    "SELECT DISTINCT selection FROM deliveries WHERE edition_id = ? AND status = 'queued' LIMIT ?",
  );
  const heldOf = db.prepare<[string, string, string], { id: number }>(
    "SELECT subscriber_id AS id FROM deliveries WHERE edition_id = ? AND subscriber_id IN (SELECT value FROM json_each(?)) AND status = 'sending' AND claimed_by = ?",
  );
  const release = db.prepare(
    `UPDATE deliveries SET status = 'queued', claimed_by = NULL, attempts = attempts - 1, updated_at = @at
     WHERE edition_id = @editionId AND subscriber_id IN (SELECT value FROM json_each(@ids)) AND status = 'sending' AND claimed_by = @owner`,
  );
  const unclaim = db.prepare(
    "UPDATE deliveries SET status = 'queued', claimed_by = NULL, last_reply = ?, updated_at = ? WHERE edition_id = ? AND subscriber_id = ? AND status = 'sending' AND claimed_by = ?",
  );
  const reclaimSet = "SET status = 'queued', claimed_by = NULL, next_attempt_at = NULL, updated_at = ?";
  const sendingOf = "WHERE edition_id = ? AND status = 'sending'";
  const sendingOwners = db.prepare<[string], { owner: string | null }>(`SELECT DISTINCT claimed_by AS owner FROM deliveries ${sendingOf}`);
  const reclaimOwner = db.prepare(`UPDATE deliveries ${reclaimSet} ${sendingOf} AND claimed_by IS ?`);
  const reclaimOlder = db.prepare(`UPDATE deliveries ${reclaimSet} ${sendingOf} AND updated_at < ?`);
  // Leftover rows, or a delivery that began but never queued all its recipients (a crash while queueing).
  const unfinished = db.prepare<{ date: string }, { id: string }>(
    `SELECT edition_id AS id FROM deliveries WHERE edition_id < @date AND status IN ('queued', 'sending')
     UNION SELECT edition_id FROM delivery_plans WHERE edition_id < @date AND queued_at IS NULL ORDER BY id`,
  );
  const requeueOne = db.prepare(
    "UPDATE deliveries SET status = 'queued', claimed_by = NULL, next_attempt_at = NULL, updated_at = ? WHERE edition_id = ? AND subscriber_id = ? AND status IN ('queued', 'failed')",
  );
  const waiting = "FROM deliveries d WHERE d.edition_id = ? AND d.status = 'queued' AND d.next_attempt_at > ?";
  const deferredCount = db.prepare<[string, string], { n: number }>(`SELECT count(*) AS n ${waiting}`);
  const deferrals = db.prepare<[string, string, number], { edition: string; email: string; due: string; attempts: number; reply: string | null }>(
    `SELECT d.edition_id AS edition, s.email, d.next_attempt_at AS due, d.attempts, d.last_reply AS reply
     ${waiting.replace('FROM deliveries d', 'FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id')} ORDER BY d.next_attempt_at, d.subscriber_id LIMIT ?`,
  );
  const retryDeferred = db.prepare(
    "UPDATE deliveries SET next_attempt_at = NULL, updated_at = @at WHERE edition_id = @edition AND status = 'queued' AND next_attempt_at IS NOT NULL",
  );
  return {
    /** Materializes recipients; a (edition, subscriber) pair is queued at most once, ever. Returns how many were new. */
    queueMany: db.transaction((editionId: string, rows: { subscriberId: number; selection: string }[], at: string): number => {
      let n = 0;
      for (const r of rows) n += queue.run(editionId, r.subscriberId, r.selection, at).changes;
      return n;
    }),

    /**
     * Queues every active subscriber up to id `upto` who is due: daily readers when `daily`, weekly readers whose
     * weekday is `weekday` when `weekly`. One statement (no row crosses into JS). Returns how many were new.
     */
    queueDue(editionId: string, due: { upto: number; daily: boolean; weekly: boolean; weekday: number }, at: string): number {
      return queueDue.run({ editionId, upto: Math.min(due.upto, Number.MAX_SAFE_INTEGER), daily: due.daily ? 1 : 0, weekly: due.weekly ? 1 : 0, weekday: due.weekday, at }).changes;
    },

    /**
     * queued → sending for `owner`, if nobody else got there first. `ignoreWait` is for the owner's own
     * in-run retries, which it times itself. One attempt is counted per claim: returns the row's attempts
     * with this one, or null when it was not claimed.
     */
    claim(editionId: string, subscriberId: number, owner: string, at: string, ignoreWait = false): number | null {
      return claim.get({ editionId, subscriberId, owner, at, ignoreWait: ignoreWait ? 1 : 0 })?.attempts ?? null;
    },

    /**
     * queued → sending for `owner`: up to `limit` rows due at `at`, after subscriber `after`, in one
     * transaction. One attempt is counted per claim. Returns them in subscriber order with their attempts.
     */
    claimBatch(editionId: string, after: number, owner: string, at: string, limit: number): { subscriberId: number; attempts: number }[] {
      return claimBatch
        .all({ editionId, after, owner, at, limit })
        .map((r) => ({ subscriberId: r.subscriber_id, attempts: r.attempts }))
        .sort((a, b) => a.subscriberId - b.subscriberId);
    },

    /**
     * A group commit: the outcomes of rows `owner` claimed, in one transaction, each compare-and-set: written
     * only if the row is still `sending` under that claim (else another sender took it over after the claim went
     * stale, and the caller drops the outcome). Never `sending`, which only a claim enters.
     * `then` runs inside the transaction for each outcome, with whether it was written (its side effects, such
     * as counting a bounce, commit with it).
     */
    markMany(editionId: string, owner: string, at: string, outcomes: Outcome[], then: (o: Outcome, written: boolean) => void): void {
      db.transaction(() => {
        for (const o of outcomes) {
          const written = setStatus.run({ editionId, subscriberId: o.subscriberId, owner, status: o.status, at, reply: o.reply ?? null, nextAt: o.nextAt ?? null }).changes === 1;
          then(o, written);
        }
      })();
    },

    /** Claimed rows never sent (the run stopped first) go back to the queue as they were, their attempt uncounted. */
    release(editionId: string, owner: string, subscriberIds: number[], at: string): void {
      release.run({ editionId, owner, ids: JSON.stringify(subscriberIds), at });
    },

    /** sending → queued, only if `owner` still holds the row (an error before its SMTP transaction). */
    unclaim(editionId: string, subscriberId: number, owner: string, at: string, reply: string): void {
      unclaim.run(reply, at, editionId, subscriberId, owner);
    },

    /**
     * The crash policy: `sending` rows whose claimer is gone (`alive` says no) or that were claimed before
     * `staleBefore` go back to `queued`, to be sent again (at-least-once). Returns how many.
     */
    reclaimStale(editionId: string, alive: (owner: string | null) => boolean, staleBefore: string, at: string): number {
      const owners = sendingOwners.all(editionId);
      let n = reclaimOlder.run(at, editionId, staleBefore).changes;
      for (const { owner } of owners) if (!alive(owner)) n += reclaimOwner.run(at, editionId, owner).changes;
      return n;
    },

    /** Editions before `date` with queued or sending rows, or not all queued, oldest first (resumed by the next run). */
    unfinishedBefore(date: string): string[] {
      return unfinished.all({ date }).map((r) => r.id);
    },

    /** Rows of a paused streak go back to the queue at once (no wait), whether they were left queued or failed. */
    requeue(rows: { editionId: string; id: number }[], at: string): void {
      db.transaction(() => {
        for (const r of rows) requeueOne.run(at, r.editionId, r.id);
      })();
    },

    /** The selection keys of the queued rows (as queued: a reader may have changed theirs since), at most `limit`. */
    /** The selection keys of the subscribers due (queueDue's `due`), most readers first, at most `limit`. */
    dueSelections(due: { daily: boolean; weekly: boolean; weekday: number }, limit: number): string[] {
      return dueSelections.all({ upto: Number.MAX_SAFE_INTEGER, daily: due.daily ? 1 : 0, weekly: due.weekly ? 1 : 0, weekday: due.weekday, limit }).map((r) => r.selection);
    },

    queuedSelections(editionId: string, limit: number): string[] {
      return queuedSelections.all(editionId, limit).map((r) => r.selection);
    },

    /** Which of these rows `owner` still holds (`sending` under its claim), in one read: the send loop's check before sending. */
    heldOf(editionId: string, subscriberIds: number[], owner: string): Set<number> {
      return new Set(heldOf.all(editionId, JSON.stringify(subscriberIds), owner).map((r) => r.id));
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

    /** Queued rows waiting out a temporary failure: due later than `now`. */
    deferredCount(editionId: string, now: string): number {
      return deferredCount.get(editionId, now)!.n;
    },

    /** The first of them, soonest due first, with when each is due and why it waits. */
    deferrals(editionId: string, now: string, limit = 20): { edition: string; email: string; due: string; attempts: number; reply: string | null }[] {
      return deferrals.all(editionId, now, limit);
    },

    /** Rows waiting out a temporary failure become due now (`paperboy send --retry-deferred`). Returns how many. */
    retryDeferred(editionId: string, at: string): number {
      return retryDeferred.run({ edition: editionId, at }).changes;
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
