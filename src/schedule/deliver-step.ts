// The run's delivery step: the day's digests through the ledger, with a progress bar on a terminal.
import type { App } from '../app.ts';
import { progress } from '../commands/progress.ts';
import { deliver, type DeliveryReport } from '../deliver/send.ts';

export type DeliveryStepReport = { skipped: string } | DeliveryReport;

export async function deliverStep(app: App, opts: { date: string; signal?: AbortSignal; showProgress: boolean; resendFailed?: boolean }): Promise<DeliveryStepReport> {
  const bar = progress('send', opts.showProgress);
  try {
    return await deliver(app, { date: opts.date, signal: opts.signal, resendFailed: opts.resendFailed, onProgress: (d, t) => bar.update(d, t) });
  } finally {
    bar.stop();
  }
}
