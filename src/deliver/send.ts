// One delivery of a date's digests through the ledger: queue the recipients once, send each digest once, report.
import type { App } from '../app.ts';
import { PaperboyError } from '../errors.ts';
import { editionsFor } from '../schedule/preview-step.ts';
import { deliveriesRepo } from '../store/deliveries.ts';
import { queueRecipients } from './queue-recipients.ts';
import { toReport, type DeliveryReport } from './report.ts';
import { sendQueued, type SendOptions } from './send-loop.ts';
import { templateCache } from './template-cache.ts';

export type { DeliveryReport } from './report.ts';

export interface DeliverOptions extends SendOptions {
  date: string;
  resendFailed?: boolean;
  /** Only send rows already in the ledger (an earlier edition's leftovers): nobody new is queued. */
  resumeOnly?: boolean;
}

/**
 * Survives crashes, retries and bounces: the ledger row (edition, subscriber) is claimed before each SMTP
 * transaction and marked after it, so a second delivery for the date sends only what the first did not.
 */
export async function deliver(app: App, opts: DeliverOptions): Promise<DeliveryReport> {
  const started = Date.now();
  const ledger = deliveriesRepo(app.db);
  const { date } = opts;
  const editionRow = app.editions.summary(date);
  if (!editionRow) throw new PaperboyError('NOT_FOUND', `no edition for ${date}; run \`paperboy run --date ${date}\` first`);
  const daily = editionsFor(app, date, 'daily');
  const weekly = editionsFor(app, date, 'weekly');
  const topics = app.topics().topics;

  const { queuedNow, reclaimed } = queueRecipients(app, ledger, { date, daily, weekly, resumeOnly: opts.resumeOnly, resendFailed: opts.resendFailed });
  const tally = await sendQueued(app, ledger, date, templateCache(app, { date, daily, weekly, topics }), opts);

  const final = ledger.counts(date);
  return toReport({
    date,
    editions: [...daily, ...weekly].map((e) => e.id),
    queuedNow,
    ...tally,
    remaining: final.queued + final.sending,
    reclaimed,
    failures: ledger.failures(date),
    stopped: opts.signal?.aborted === true,
    durationMs: Date.now() - started,
    target: app.mailer.target,
  });
}
