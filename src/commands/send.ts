// `paperboy send`: deliver (or resume delivering) the digests of a date through the ledger.
import type { App } from '../app.ts';
import { localDate } from '../clock.ts';
import { PaperboyError } from '../errors.ts';
import type { DeliveryReport } from '../deliver/send.ts';
import { deliverStep } from '../schedule/deliver-step.ts';

export async function sendCommand(app: App, o: { date?: string; edition?: string; resendFailed?: boolean; json?: boolean }): Promise<DeliveryReport> {
  const date = o.edition ?? o.date ?? app.editions.list()[0]?.id ?? localDate(app.now(), app.config.tz);
  const abort = new AbortController();
  // SIGTERM/SIGINT: stop taking new rows, let in-flight messages finish and be recorded, then exit.
  const onSignal = () => abort.abort();
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  try {
    const r = await deliverStep(app, { date, signal: abort.signal, showProgress: !o.json && process.stderr.isTTY === true, resendFailed: o.resendFailed });
    return r as DeliveryReport;
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  }
}

export function formatDeliveryReport(r: DeliveryReport): string {
  const lines = [`delivery for ${r.date} (editions: ${r.editions.join(', ') || 'none'}; ${r.queuedNow} newly queued)`, `  ${r.summary}`];
  for (const f of r.failures) lines.push(`  failed ${f.email}: ${f.reply}`);
  return lines.join('\n');
}

export const pausedError = (r: DeliveryReport) => (r.paused ? new PaperboyError('PAUSED', `delivery paused: ${r.pauseReason}`) : null);
