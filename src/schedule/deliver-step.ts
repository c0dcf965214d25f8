// The run's delivery step. Delivery (the ledger, SMTP) is not built yet: the step says so instead of pretending.
import type { App } from '../app.ts';

export type DeliveryStepReport = { skipped: string } | { summary: string; paused?: boolean; pauseReason?: string };

export async function deliverStep(_app: App, _opts: { date: string; signal?: AbortSignal; showProgress: boolean }): Promise<DeliveryStepReport> {
  return { skipped: 'delivery is not built yet (no subscriber store); previews are written instead' };
}
