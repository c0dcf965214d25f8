// The report of one delivery, and its one-line summary for people.

export interface Deferral {
  edition: string;
  email: string;
  /** ISO time from which the row is sent again. */
  due: string;
  attempts: number;
  reply: string | null;
}

export interface DeliveryReport {
  date: string;
  editions: string[];
  queuedNow: number;
  sent: number;
  failed: number;
  skipped: number;
  /** Skipped rows by reason, e.g. `{ "no papers in the selected topics": 2 }`: who got no email and why. */
  skippedFor: Record<string, number>;
  /** Rows still queued (temporary failures waiting, a pause, or a stop). */
  remaining: number;
  /** Of the remaining rows, those waiting out a temporary failure (due later; `send --retry-deferred` sends them now). */
  deferred: number;
  /** The first of them, soonest due first: when each is due, and the reply that deferred it. */
  deferrals: Deferral[];
  /** `sending` rows of a dead sender put back in the queue and sent again (the crash policy). */
  reclaimed: number;
  /** Earlier editions whose leftovers were sent first (by `run`, or `send` without a date). */
  resumed?: { date: string; sent: number; failed: number; remaining: number }[];
  failures: { email: string; reply: string }[];
  paused: boolean;
  pauseReason: string | null;
  stopped: boolean;
  durationMs: number;
  perSecond: number;
  target: string;
  summary: string;
}

/**
 * The report from its counts: `paused`, the rate and the summary follow from them, and `editions` is kept
 * once each and in order. One delivery's, or several added up (deliver-step.ts, with `resumed`).
 */
export function toReport(r: Omit<DeliveryReport, 'paused' | 'perSecond' | 'summary'>): DeliveryReport {
  const report: DeliveryReport = {
    date: r.date,
    editions: [...new Set(r.editions)].sort(),
    queuedNow: r.queuedNow,
    sent: r.sent,
    failed: r.failed,
    skipped: r.skipped,
    skippedFor: r.skippedFor,
    remaining: r.remaining,
    deferred: r.deferred,
    deferrals: r.deferrals,
    reclaimed: r.reclaimed,
    failures: r.failures,
    paused: r.pauseReason !== null,
    pauseReason: r.pauseReason,
    stopped: r.stopped,
    durationMs: r.durationMs,
    perSecond: r.durationMs > 0 ? Math.round((r.sent / r.durationMs) * 10_000) / 10 : 0,
    target: r.target,
    ...(r.resumed ? { resumed: r.resumed } : {}),
    summary: '',
  };
  report.summary = summarize(report);
  return report;
}

function summarize(r: DeliveryReport): string {
  const why = Object.entries(r.skippedFor).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const skipped = why.length === 0 ? `${r.skipped} skipped` : `${r.skipped} skipped (${why.map(([reason, n]) => `${n}: ${reason}`).join('; ')})`;
  const parts = [`${r.sent} sent`, `${r.failed} failed`, skipped];
  if (r.remaining) parts.push(`${r.remaining} still queued${r.deferred ? ` (${r.deferred} deferred after a temporary failure, due from ${r.deferrals[0]?.due ?? '?'})` : ''}`);
  if (r.reclaimed) parts.push(`${r.reclaimed} resent after a crash`);
  if (r.resumed?.length) parts.push(`including ${r.resumed.map((e) => `${e.sent} left over from ${e.date}`).join(', ')}`);
  let line = `${parts.join(', ')} in ${(r.durationMs / 1000).toFixed(1)} s (${r.perSecond}/s) → ${r.target}`;
  if (r.paused) line += ` — PAUSED: ${r.pauseReason}`;
  else if (r.stopped) line += ' — stopped early; the rest is sent by the next run or `paperboy send`';
  return line;
}
