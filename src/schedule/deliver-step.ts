// The delivery step of `run` and `send`: earlier editions' leftovers first, then the date's digests, as one report.
import type { App } from '../app.ts';
import { progress, type ProgressMode } from '../commands/progress.ts';
import { toReport } from '../deliver/report.ts';
import { deliver, type DeliveryReport } from '../deliver/send.ts';
import { deliveriesRepo } from '../store/deliveries.ts';

/** A delivery that did not happen says why; `disabled` marks `--no-send` (the run owes the day its digest). */
export type DeliveryStepReport = { skipped: string; disabled?: true } | DeliveryReport;

export interface DeliverStepOptions {
  date: string;
  /** Resume editions before `date` that still have queued (or dead senders' `sending`) rows, first. */
  resumeEarlier?: boolean;
  resendFailed?: boolean;
  signal?: AbortSignal;
  progress: ProgressMode;
}

export async function deliverStep(app: App, opts: DeliverStepOptions): Promise<DeliveryReport> {
  const earlier = opts.resumeEarlier ? deliveriesRepo(app.db).unfinishedBefore(opts.date) : [];
  const reports: DeliveryReport[] = [];
  for (const date of [...earlier, opts.date]) {
    const bar = progress(date === opts.date ? 'send' : `send ${date}`, opts.progress);
    try {
      const resumeOnly = date !== opts.date;
      reports.push(await deliver(app, { date, resumeOnly, resendFailed: !resumeOnly && opts.resendFailed, signal: opts.signal, onProgress: (d, t) => bar.update(d, t) }));
    } finally {
      bar.stop();
    }
    const last = reports[reports.length - 1]!;
    // A pause or a stop holds for the rest too: the next `send` or run picks up from here.
    if (last.paused || last.stopped) break;
  }
  return merge(opts.date, reports);
}

/** One report for several editions: counts add up; the date, editions and queuedNow are the target date's. */
function merge(date: string, reports: DeliveryReport[]): DeliveryReport {
  if (reports.length === 1) return reports[0]!;
  const sum = (k: 'sent' | 'failed' | 'skipped' | 'remaining' | 'reclaimed' | 'durationMs') => reports.reduce((n, r) => n + r[k], 0);
  return toReport({
    date,
    editions: reports.flatMap((r) => r.editions),
    queuedNow: reports.find((r) => r.date === date)?.queuedNow ?? 0,
    sent: sum('sent'),
    failed: sum('failed'),
    skipped: sum('skipped'),
    remaining: sum('remaining'),
    reclaimed: sum('reclaimed'),
    failures: reports.flatMap((r) => r.failures).slice(0, 20),
    pauseReason: reports.find((r) => r.paused)?.pauseReason ?? null,
    stopped: reports.some((r) => r.stopped),
    durationMs: sum('durationMs'),
    target: reports[0]!.target,
    resumed: reports.filter((r) => r.date !== date).map((r) => ({ date: r.date, sent: r.sent, failed: r.failed, remaining: r.remaining })),
  });
}
