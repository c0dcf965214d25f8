// One delivery of a date's digests through the ledger: queue the recipients once, send each digest once, report.
import type { App } from '../app.ts';
import { editionsFor } from '../edition/covered.ts';
import { PaperboyError } from '../errors.ts';
import { deliveriesRepo, type DeliveriesRepo } from '../store/deliveries.ts';
import { storedParts, templatesOf } from './digest-parts.ts';
import { failureStreak, type FailureStreak } from './failure-streak.ts';
import { queueRecipients } from './queue-recipients.ts';
import { RENDER_CHILD_MIN, startRenderChild } from './render-prefetch.ts';
import { toReport, type DeliveryReport } from './report.ts';
import { DEFAULT_PAUSE_AFTER, sendQueued, type SendOptions } from './send-loop.ts';
import { MAX_TEMPLATES, templateCache } from './template-cache.ts';

export type { DeliveryReport } from './report.ts';

export interface DeliverOptions extends SendOptions {
  date: string;
  resendFailed?: boolean;
  /** Rows waiting out a temporary failure are due now (`paperboy send --retry-deferred`). */
  retryDeferred?: boolean;
  /** Only send rows already in the ledger (an earlier edition's leftovers): nobody new is queued. */
  resumeOnly?: boolean;
  /** From how many messages on the templates are rendered by a child process (render-prefetch.ts); tests lower it. */
  renderChildFrom?: number;
}

/**
 * Survives crashes, retries and bounces: the ledger row (edition, subscriber) is claimed before each SMTP
 * transaction and marked after it, so a second delivery for the date sends only what the first did not.
 * With `opts.streak` the caller settles the bounce policy (over several editions); without, this does.
 */
export async function deliver(app: App, opts: DeliverOptions): Promise<DeliveryReport> {
  const started = Date.now();
  const ledger = deliveriesRepo(app.db);
  const { date } = opts;
  const editionRow = app.editions.summary(date);
  if (!editionRow) throw new PaperboyError('NOT_FOUND', `no edition for ${date}; run \`paperboy run --date ${date}\` first`);
  const daily = editionsFor(app.editions, date, 'daily');
  const weekly = editionsFor(app.editions, date, 'weekly');
  const topics = () => app.topics().topics;

  // Digests the run rendered ahead and stored (digest-parts.ts): a send that finds them fresh renders nothing.
  const parts = storedParts(app, date, { daily, weekly });
  // Else a large delivery's templates come from a child process, so MJML never loads in the sender (its memory
  // stays near a bare SMTP client's); it starts now and loads while the recipients are queued.
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const large = ledger.counts(date).queued + (opts.resumeOnly ? 0 : app.subscribers.countActive()) >= (opts.renderChildFrom ?? RENDER_CHILD_MIN);
  let child = large && parts.size === 0 ? startRenderChild(app, date, log, { signal: opts.signal }) : null;
  const streak = opts.streak ?? failureStreak(opts.pauseAfter ?? DEFAULT_PAUSE_AFTER);
  const { queuedNow, reclaimed, tally } = await (async () => {
    try {
      const queued = queueRecipients(app, ledger, { date, daily, weekly, resumeOnly: opts.resumeOnly, resendFailed: opts.resendFailed });
      if (opts.retryDeferred) ledger.retryDeferred(date, app.now().toISOString());
      const templates = templateCache(app, { date, daily, weekly, topics });
      const keys = ledger.queuedSelections(date, MAX_TEMPLATES);
      const given = templatesOf(app, parts, keys);
      templates.prefill!(given);
      // Selections queued since the run stored its parts (a reader changed topics): a large delivery asks a child.
      const missing = keys.filter((k) => !given.has(k));
      if (child === null && large && missing.length > 0) child = startRenderChild(app, date, log, { signal: opts.signal });
      const rendered = missing.length > 0 ? await child?.templates(missing) : null;
      if (rendered) templates.prefill!(rendered);
      return { ...queued, tally: await sendQueued(app, ledger, date, templates, streak, opts) };
    } finally {
      child?.close();
    }
  })();
  if (!opts.streak) tally.failed -= settleStreak(app, ledger, streak).length;

  return toReport({
    date,
    editions: [...daily, ...weekly].map((e) => e.id),
    queuedNow,
    ...tally,
    ...leftOver(app, ledger, date),
    reclaimed,
    failures: ledger.failures(date),
    pauseReason: streak.pauseReason,
    stopped: opts.signal?.aborted === true,
    durationMs: Date.now() - started,
    target: app.mailer.target,
  });
}

/** The end of a delivery's bounce policy: a paused streak goes back to the queue; returns the rows taken back from `failed`. */
export function settleStreak(app: App, ledger: DeliveriesRepo, streak: FailureStreak) {
  const at = app.now().toISOString();
  return streak.settle({ requeue: (rows) => ledger.requeue(rows, at), recordBounce: (id) => app.subscribers.recordBounce(id) });
}

/** What is still owed for `date`: queued or in flight, and of it the rows waiting out a temporary failure. */
export function leftOver(app: App, ledger: DeliveriesRepo, date: string) {
  const now = app.now().toISOString();
  const final = ledger.counts(date);
  return { remaining: final.queued + final.sending, deferred: ledger.deferredCount(date, now), deferrals: ledger.deferrals(date, now) };
}
