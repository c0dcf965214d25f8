// The delivery step of `run` and `send`: earlier editions' leftovers first, then the date's digests, as one report.
import type { App } from '../app.ts';
import { progress, type ProgressMode } from '../progress.ts';
import { toReport } from '../deliver/report.ts';
import { failureStreak } from '../deliver/failure-streak.ts';
import { DEFAULT_PAUSE_AFTER } from '../deliver/send-loop.ts';
import { deliver, leftOver, settleStreak, type DeliveryReport } from '../deliver/send.ts';
import { deliveriesRepo } from '../store/deliveries.ts';

/** A delivery that did not happen says why; `disabled` marks `--no-send` (the run owes the day its digest). */
export type DeliveryStepReport = { skipped: string; disabled?: true } | DeliveryReport;

export interface DeliverStepOptions {
  date: string;
  /** Resume editions before `date` that still have queued (or dead senders' `sending`) rows, first. */
  resumeEarlier?: boolean;
  resendFailed?: boolean;
  /** Rows waiting out a temporary failure are sent now, not when due (`send --retry-deferred`). */
  retryDeferred?: boolean;
  signal?: AbortSignal;
  progress: ProgressMode;
  /** Waits before in-run retries (tests shorten them). */
  retryDelaysMs?: number[];
}

export async function deliverStep(app: App, opts: DeliverStepOptions): Promise<DeliveryReport> {
  const ledger = deliveriesRepo(app.db);
  const earlier = opts.resumeEarlier ? ledger.unfinishedBefore(opts.date) : [];
  // One bounce policy for the whole step: a refusal in a resumed edition is proven by a message accepted in
  // today's, and a server that accepts nothing pauses the step, whatever the editions' sizes.
  const streak = failureStreak(DEFAULT_PAUSE_AFTER);
  const reports: DeliveryReport[] = [];
  for (const date of [...earlier, opts.date]) {
    const bar = progress(date === opts.date ? 'send' : `send ${date}`, opts.progress);
    try {
      const resumeOnly = date !== opts.date;
      reports.push(
        await deliver(app, { date, resumeOnly, resendFailed: !resumeOnly && opts.resendFailed, retryDeferred: opts.retryDeferred, retryDelaysMs: opts.retryDelaysMs, streak, signal: opts.signal, onProgress: (d, t) => bar.update(d, t) }),
      );
    } finally {
      bar.stop();
    }
    const last = reports[reports.length - 1]!;
    // A pause or a stop holds for the rest too: the next `send` or run picks up from here.
    if (last.paused || last.stopped) break;
  }
  const uncounted = settleStreak(app, ledger, streak);
  const settled = reports.map((r) =>
    toReport({ ...r, failed: r.failed - uncounted.filter((u) => u.editionId === r.date).length, ...leftOver(app, ledger, r.date), pauseReason: streak.pauseReason }),
  );
  return merge(opts.date, settled);
}

/** One report for several editions: counts add up; the date, editions and queuedNow are the target date's. */
function merge(date: string, reports: DeliveryReport[]): DeliveryReport {
  if (reports.length === 1) return reports[0]!;
  const sum = (k: 'sent' | 'failed' | 'skipped' | 'remaining' | 'deferred' | 'reclaimed' | 'durationMs') => reports.reduce((n, r) => n + r[k], 0);
  return toReport({
    date,
    editions: reports.flatMap((r) => r.editions),
    queuedNow: reports.find((r) => r.date === date)?.queuedNow ?? 0,
    sent: sum('sent'),
    failed: sum('failed'),
    skipped: sum('skipped'),
    skippedFor: reports.reduce<Record<string, number>>((all, r) => {
      for (const [reason, n] of Object.entries(r.skippedFor)) all[reason] = (all[reason] ?? 0) + n;
      return all;
    }, {}),
    remaining: sum('remaining'),
    deferred: sum('deferred'),
    deferrals: reports.flatMap((r) => r.deferrals).sort((a, b) => a.due.localeCompare(b.due)).slice(0, 20),
    reclaimed: sum('reclaimed'),
    failures: reports.flatMap((r) => r.failures).slice(0, 20),
    pauseReason: reports.find((r) => r.paused)?.pauseReason ?? null,
    stopped: reports.some((r) => r.stopped),
    durationMs: sum('durationMs'),
    target: reports[0]!.target,
    resumed: reports.filter((r) => r.date !== date).map((r) => ({ date: r.date, sent: r.sent, failed: r.failed, remaining: r.remaining })),
  });
}
