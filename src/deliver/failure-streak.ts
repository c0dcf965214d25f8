// The pause policy of a send: consecutive failures pause the run, and count as bounces only once a success shows the server works.
import type { FailureKind } from './mailer.ts';

interface Failure {
  id: number;
  bounce: boolean;
  /** Whether the row was marked `failed` (and counted so), rather than queued again. */
  failed: boolean;
}

/** Failures since the last success, and why the run paused (null while it goes on). Holds no IO: callers record. */
export function failureStreak(pauseAfter: number) {
  // Their bounces are counted only once a success shows the server works; if the streak pauses the run,
  // they are all queued again and none counts as a bounce.
  let streak: Failure[] = [];
  let pauseReason: string | null = null;
  return {
    get pauseReason(): string | null {
      return pauseReason;
    },
    failed(id: number, kind: FailureKind, reply: string, rowFailed: boolean): void {
      streak.push({ id, bounce: kind === 'bounce', failed: rowFailed });
      if (pauseReason !== null) return;
      if (kind === 'server') pauseReason = `the mail server refused our session or login, not a recipient (${reply}); nothing was counted as a bounce — fix SMTP_URL or the server, then run \`paperboy send\``;
      else if (streak.length >= pauseAfter) pauseReason = `${streak.length} deliveries in a row failed (last: ${reply}); they are queued again and none was counted as a bounce — fix the mail server, then run \`paperboy send\``;
    },
    /** A success: the streak's bounces were real (unless the run paused), so they are recorded and it starts over. */
    succeeded(recordBounce: (id: number) => void): void {
      if (pauseReason !== null) return;
      for (const f of streak) if (f.bounce) recordBounce(f.id);
      streak = [];
    },
    /**
     * The end of the run. The streak that paused the run says the server is broken, not the recipients: all of
     * it goes back to the queue. Otherwise its bounces are recorded. Returns how many rows it un-counts as failed.
     */
    settle(io: { requeue: (ids: number[]) => void; recordBounce: (id: number) => void }): number {
      if (pauseReason !== null) {
        io.requeue(streak.map((f) => f.id));
        return streak.filter((f) => f.failed).length;
      }
      for (const f of streak) if (f.bounce) io.recordBounce(f.id);
      return 0;
    },
  };
}
