// `paperboy send`: deliver (or resume delivering) the digests of a date through the ledger.
import type { App } from '../app.ts';
import { localDate } from '../clock.ts';
import { PaperboyError } from '../errors.ts';
import type { DeliveryReport } from '../deliver/send.ts';
import { deliverStep } from '../schedule/deliver-step.ts';
import { holdRunLease } from '../store/leases.ts';
import { progressMode } from '../progress.ts';
import { withStopSignal } from './stop-signal.ts';

export async function sendCommand(app: App, o: { date?: string; edition?: string; resendFailed?: boolean; retryDeferred?: boolean; json?: boolean }): Promise<DeliveryReport> {
  const explicit = o.edition ?? o.date;
  const date = explicit ?? app.editions.list()[0]?.id ?? localDate(app.now(), app.config.tz);
  // The run lease: a `send` beside another `send` or a `run` exits 75 instead of racing it (rows are
  // claimed atomically as well, so even a sender that skipped the lease would not duplicate anything).
  const release = holdRunLease(app.db, 'send', app.now);
  try {
    // Without a date, `send` resumes like the next run would: earlier editions' leftovers, then the latest.
    return await withStopSignal((signal) =>
      deliverStep(app, { date, resumeEarlier: explicit === undefined, signal, progress: progressMode(o.json === true), resendFailed: o.resendFailed, retryDeferred: o.retryDeferred }),
    );
  } finally {
    release();
  }
}

export function formatDeliveryReport(r: DeliveryReport): string {
  const lines = [`delivery for ${r.date} (editions: ${r.editions.join(', ') || 'none'}; ${r.queuedNow} newly queued)`, `  ${r.summary}`];
  for (const f of r.failures) lines.push(`  failed ${f.email}: ${f.reply}`);
  for (const d of r.deferrals) lines.push(`  deferred ${d.email} (${d.edition}, ${d.attempts} attempt${d.attempts === 1 ? '' : 's'}) until ${d.due}: ${d.reply ?? ''}`);
  if (r.deferred > r.deferrals.length) lines.push(`  … and ${r.deferred - r.deferrals.length} more deferred`);
  if (r.deferred) lines.push('  (`paperboy send --retry-deferred` sends them now)');
  return lines.join('\n');
}

export const pausedError = (r: DeliveryReport) => (r.paused ? new PaperboyError('PAUSED', `delivery paused: ${r.pauseReason}`) : null);
