// The bounce and pause policy of a delivery: a refusal counts as a bounce only once the server has shown it delivers to others.
import type { FailureKind } from './mailer.ts';

/** A delivery row, by edition and subscriber: one streak may span the editions a run resumes. */
export interface RowRef {
  editionId: string;
  id: number;
}

interface Failure extends RowRef {
  bounce: boolean;
  /** Whether the row was marked `failed` (and counted so), rather than queued again. */
  failed: boolean;
}

export interface SettleIo {
  requeue: (rows: RowRef[]) => void;
  recordBounce: (id: number) => void;
}

/**
 * The rule (README, "Delivery and the ledger"): a mailbox refusal counts as a bounce only when a message to
 * someone else was accepted after it in the same delivery — a server that works, and a mailbox that does not.
 * Refusals after the last accepted message stay `failed` but uncounted. A delivery in which the server
 * accepted nothing and refused (5xx) at least one recipient is a server problem at any list size: it pauses,
 * and every row of it goes back to the queue. So does a session or login refusal, and `pauseAfter` failures
 * in a row. Holds no IO: callers record.
 */
export function failureStreak(pauseAfter: number) {
  let streak: Failure[] = [];
  let pauseReason: string | null = null;
  let delivered = 0;
  let refused = 0;
  let lastRefusal = '';
  return {
    get pauseReason(): string | null {
      return pauseReason;
    },
    failed(row: RowRef, kind: FailureKind, reply: string, rowFailed: boolean): void {
      streak.push({ ...row, bounce: kind === 'bounce', failed: rowFailed });
      if (kind === 'bounce' || kind === 'rejected') {
        refused++;
        lastRefusal = reply;
      }
      if (pauseReason !== null) return;
      if (kind === 'server') pauseReason = `the mail server refused our session or login, not a recipient (${reply}); nothing was counted as a bounce — fix SMTP_URL or the server, then run \`paperboy send\``;
      else if (streak.length >= pauseAfter) pauseReason = `${streak.length} deliveries in a row failed (last: ${reply}); they are queued again and none was counted as a bounce — fix the mail server, then run \`paperboy send\``;
    },
    /** An accepted message: the streak's refusals were real mailboxes (unless the run paused), so they count. */
    succeeded(recordBounce: (id: number) => void): void {
      delivered++;
      if (pauseReason !== null) return;
      for (const f of streak) if (f.bounce) recordBounce(f.id);
      streak = [];
    },
    /**
     * The end of the delivery. A pause, or a delivery where the server accepted nothing and refused someone,
     * says the server is broken, not the recipients: the streak goes back to the queue, nothing counted.
     * Otherwise the refusals after the last accepted message stay failed, uncounted. Returns the rows it
     * took back from `failed`.
     */
    settle(io: SettleIo): RowRef[] {
      if (pauseReason === null && delivered === 0 && refused > 0) {
        pauseReason = `the mail server accepted no message and refused ${refused === 1 ? 'the one recipient' : `all ${refused} recipients`} it was offered (last: ${lastRefusal}); that is taken for a server problem, not ${refused === 1 ? 'a dead mailbox' : 'dead mailboxes'}: nothing was counted as a bounce and they are queued again — check SMTP_URL, the relay's permissions and the sender address (or remove an address that is really gone), then run \`paperboy send\``;
      }
      if (pauseReason === null) return [];
      io.requeue(streak);
      return streak.filter((f) => f.failed);
    },
  };
}

export type FailureStreak = ReturnType<typeof failureStreak>;
