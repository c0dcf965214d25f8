// The ledger loop: queue the day's recipients once, send each digest once, survive crashes, retries and bounces.
import type { App } from '../app.ts';
import { weekdayOf } from '../clock.ts';
import type { Edition, Selection, Subscriber } from '../domain.ts';
import { PaperboyError } from '../errors.ts';
import { buildDigest, selectionKey } from '../edition/digest.ts';
import { renderDigestHtml } from '../render/email.ts';
import { editionsFor } from '../schedule/preview-step.ts';
import { deliveriesRepo } from '../store/deliveries.ts';
import { holderAlive, newHolder } from '../store/leases.ts';
import { preferencesUrl, unsubscribeUrl } from '../subscribe/tokens.ts';
import { bareAddress } from './compose.ts';
import type { FailureKind } from './mailer.ts';
import { buildMimeTemplate, fillMessage, type MimeTemplate } from './message.ts';

export interface DeliverOptions {
  date: string;
  resendFailed?: boolean;
  /** Only send rows already in the ledger (an earlier edition's leftovers): nobody new is queued. */
  resumeOnly?: boolean;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
  /** Waits before in-run retries of a temporary failure; tests shorten them. */
  retryDelaysMs?: number[];
  /** Consecutive failures that pause the run instead of burning through the list. */
  pauseAfter?: number;
  /** Sends in flight at once; default: the SMTP pool size (outbox: 4). */
  concurrency?: number;
}

export interface DeliveryReport {
  date: string;
  editions: string[];
  queuedNow: number;
  sent: number;
  failed: number;
  skipped: number;
  /** Rows still queued (temporary failures waiting, a pause, or a stop). */
  remaining: number;
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

/** A temporary failure is retried this many times within a run (after the pass, not in the worker), then waits for the next run. */
const DEFAULT_RETRY_DELAYS = [1000, 4000, 15000];
/** After this many attempts over all runs a temporarily failing address is given up as failed. */
const MAX_ATTEMPTS = 8;
const LATER_MS = 15 * 60_000;
/** A `sending` row older than this is stale whoever claimed it: no SMTP transaction lasts that long. */
const STALE_MS = 15 * 60_000;
const PAGE = 500;
const MAX_TEMPLATES = 500;

/** Resolves after `ms` or on abort, whichever is first, and leaves no listener on the signal either way. */
export const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const t = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });

/** Whether a subscriber gets a digest on `date`, and of which editions. */
function due(s: Subscriber, date: string, daily: Edition[], weekly: Edition[]): Edition[] {
  if (s.cadence === 'weekly') return weekdayOf(date) === s.weekday ? weekly : [];
  return daily;
}

export async function deliver(app: App, opts: DeliverOptions): Promise<DeliveryReport> {
  const started = Date.now();
  const ledger = deliveriesRepo(app.db);
  const { date } = opts;
  const editionRow = app.editions.summary(date);
  if (!editionRow) throw new PaperboyError('NOT_FOUND', `no edition for ${date}; run \`paperboy run --date ${date}\` first`);
  const daily = editionsFor(app, date, 'daily');
  const weekly = editionsFor(app, date, 'weekly');
  const topics = app.topics().topics;
  const now = () => app.now().toISOString();

  // 1. Materialize today's recipients, once: INSERT OR IGNORE on (edition, subscriber). A resume of an
  // earlier edition queues nobody: someone who subscribed since must not get an old digest.
  let queuedNow = 0;
  for (const page of opts.resumeOnly ? [] : app.subscribers.activePages(PAGE)) {
    const rows = page.flatMap((s) => {
      const editions = due(s, date, daily, weekly);
      if (editions.length === 0) return [];
      return [{ subscriberId: s.id, selection: selectionKey({ topics: s.topics, cadence: s.cadence }) }];
    });
    queuedNow += ledger.queueMany(date, rows, now());
  }
  if (opts.resendFailed) ledger.requeueFailed(date, now());
  // The crash policy: rows a dead sender left `sending` (outcome unknown) are sent again: at-least-once.
  // A live sender's rows are left alone, so two senders at once never both send one.
  const owner = newHolder('deliver');
  const reclaimed = ledger.reclaimStale(date, holderAlive, new Date(app.now().getTime() - STALE_MS).toISOString(), now());

  // 2. One render (MJML compile) per selection; per recipient only the links are filled in.
  const templates = new Map<string, Promise<MimeTemplate | null>>();
  const template = (key: string, s: Subscriber): Promise<MimeTemplate | null> => {
    let t = templates.get(key);
    if (!t) {
      if (templates.size >= MAX_TEMPLATES) templates.clear();
      const selection: Selection = { topics: s.topics, cadence: s.cadence };
      const editions = s.cadence === 'weekly' ? weekly : daily;
      t = (async () => {
        const digest = buildDigest(editions, selection, topics);
        if (digest.paperCount === 0) return null; // nothing in their topics: no email
        const rendered = await renderDigestHtml(digest, { baseUrl: app.config.baseUrl, topics }); // links the edition page, or for a week the archive index (archiveUrlFor)
        return buildMimeTemplate(rendered, { from: app.config.from, baseUrl: app.config.baseUrl, date: app.now() });
      })();
      templates.set(key, t);
    }
    return t;
  };

  const total = ledger.counts(date).queued;
  const delays = opts.retryDelaysMs ?? DEFAULT_RETRY_DELAYS;
  const pauseAfter = opts.pauseAfter ?? 20;
  let done = 0;
  let sent = 0;
  let failed = 0;
  let skipped = 0;
  // Failures since the last success. Their bounces are counted only once a success shows the server
  // works; if the streak pauses the run, they are all queued again and none counts as a bounce.
  let streak: { id: number; bounce: boolean; failed: boolean }[] = [];
  let pauseReason: string | null = null;
  let fatal: unknown = null;
  const stop = () => pauseReason !== null || fatal !== null || opts.signal?.aborted === true;
  /** In-run retries used per row, and rows waiting for one (real time: the app clock may stand still). */
  const retried = new Map<number, number>();
  let waiting: { id: number; at: number }[] = [];
  const finish = (id: number) => {
    retried.delete(id);
    opts.onProgress?.(++done, total);
  };

  function failedOnce(id: number, kind: FailureKind, reply: string, rowFailed: boolean): void {
    streak.push({ id, bounce: kind === 'bounce', failed: rowFailed });
    if (pauseReason !== null) return;
    if (kind === 'server') pauseReason = `the mail server refused our session or login, not a recipient (${reply}); nothing was counted as a bounce — fix SMTP_URL or the server, then run \`paperboy send\``;
    else if (streak.length >= pauseAfter) pauseReason = `${streak.length} deliveries in a row failed (last: ${reply}); they are queued again and none was counted as a bounce — fix the mail server, then run \`paperboy send\``;
  }

  async function handle(id: number, retry: boolean): Promise<void> {
    // The atomic claim: another sender (or a retry that raced us) may have taken the row since it was read.
    if (!ledger.claim(date, id, owner, now(), retry)) return finish(id);
    try {
      await attempt(id);
    } catch (err) {
      // mailer.send turns every send error into an outcome, so a throw means the row is still ours and
      // unsent (or already recorded): back to the queue if so, and stop the run.
      ledger.unclaim(date, id, owner, now(), `not sent: ${(err as Error)?.message ?? String(err)}`);
      fatal ??= err;
    }
  }

  async function attempt(id: number): Promise<void> {
    const s = app.subscribers.get(id);
    // Re-checked right before sending: someone who unsubscribed mid-run gets nothing.
    if (!s || s.status !== 'active') {
      ledger.mark(date, id, 'skipped', now(), { reply: `subscriber is ${s?.status ?? 'deleted'}` });
      skipped++;
      return finish(id);
    }
    const key = selectionKey({ topics: s.topics, cadence: s.cadence });
    const t = await template(key, s);
    if (!t) {
      ledger.mark(date, s.id, 'skipped', now(), { reply: 'no papers in the selected topics' });
      skipped++;
      return finish(id);
    }
    const raw = fillMessage(
      t,
      { subscriberId: s.id, editionId: date, email: s.email, unsubscribeUrl: unsubscribeUrl(app.config.baseUrl, app.secrets, s), preferencesUrl: preferencesUrl(app.config.baseUrl, app.secrets, s) },
      app.config.from,
    );
    // The claim committed `sending` before the SMTP transaction: a crash from here on leaves it for the crash policy.
    const outcome = await app.mailer.send({ from: bareAddress(app.config.from), to: s.email, raw, outboxName: `${date}/${s.id}.eml` });
    if (outcome.ok) {
      ledger.mark(date, s.id, 'sent', now(), { reply: outcome.response });
      app.subscribers.resetBounces(s.id);
      sent++;
      if (pauseReason === null) {
        for (const f of streak) if (f.bounce) app.subscribers.recordBounce(f.id);
        streak = [];
      }
      return finish(id);
    }
    if (outcome.kind === 'bounce' || outcome.kind === 'rejected') {
      ledger.mark(date, s.id, 'failed', now(), { reply: outcome.response });
      failed++;
      failedOnce(s.id, outcome.kind, outcome.response, true);
      return finish(id);
    }
    if (outcome.kind === 'server') {
      // Not this recipient's fault: queued again as it was.
      ledger.mark(date, s.id, 'queued', now(), { reply: outcome.response });
      failedOnce(s.id, outcome.kind, outcome.response, false);
      return finish(id);
    }
    const attempts = ledger.get(date, s.id)?.attempts ?? 1;
    if (attempts >= MAX_ATTEMPTS) {
      ledger.mark(date, s.id, 'failed', now(), { reply: `gave up after ${attempts} attempts: ${outcome.response}` });
      failed++;
      failedOnce(s.id, outcome.kind, outcome.response, true);
      return finish(id);
    }
    const used = retried.get(s.id) ?? 0;
    failedOnce(s.id, outcome.kind, outcome.response, false);
    if (used >= delays.length || stop()) {
      // Out of in-run retries: back to the queue for the next run or `paperboy send`.
      ledger.mark(date, s.id, 'queued', now(), { reply: outcome.response, nextAt: new Date(app.now().getTime() + LATER_MS).toISOString() });
      return finish(id);
    }
    // Re-queued with a not-before time (other senders respect it) and retried after this pass, so a slow
    // or deferring server does not hold a worker asleep.
    const wait = delays[used]!;
    retried.set(s.id, used + 1);
    ledger.mark(date, s.id, 'queued', now(), { reply: outcome.response, nextAt: new Date(app.now().getTime() + wait).toISOString() });
    waiting.push({ id: s.id, at: Date.now() + wait });
  }

  // 3. Workers pull rows page by page; memory holds one page, whatever the list size.
  const concurrency = opts.concurrency ?? (app.config.smtp ? app.config.smtp.poolConnections : 4);
  const workers = async (next: () => number | null, retry: boolean) =>
    Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (let id = next(); id !== null; id = next()) await handle(id, retry);
      }),
    );
  let after = 0;
  let buffer: number[] = [];
  await workers(() => {
    if (stop()) return null;
    if (buffer.length === 0) {
      buffer = ledger.pending(date, after, PAGE, now()).map((r) => r.subscriberId);
      if (buffer.length === 0) return null;
      after = buffer[buffer.length - 1]!;
    }
    return buffer.shift()!;
  }, false);
  // 4. Then the rows waiting for a retry, each when its wait is over.
  while (waiting.length > 0 && !stop()) {
    await sleep(waiting.reduce((m, w) => Math.min(m, w.at), Infinity) - Date.now(), opts.signal);
    const t = Date.now();
    const ready = waiting.filter((w) => w.at <= t).map((w) => w.id);
    waiting = waiting.filter((w) => w.at > t);
    await workers(() => (stop() ? null : (ready.shift() ?? null)), true);
  }
  if (pauseReason !== null) {
    // The streak that paused the run says the server is broken, not the recipients: all of it goes back.
    ledger.requeue(date, streak.map((f) => f.id), now());
    failed -= streak.filter((f) => f.failed).length;
  } else {
    for (const f of streak) if (f.bounce) app.subscribers.recordBounce(f.id);
  }
  if (fatal !== null) throw fatal;

  const final = ledger.counts(date);
  const durationMs = Date.now() - started;
  const perSecond = durationMs > 0 ? Math.round((sent / durationMs) * 10_000) / 10 : 0;
  const report: DeliveryReport = {
    date,
    editions: (daily.length || weekly.length ? [...new Set([...daily, ...weekly].map((e) => e.id))] : []).sort(),
    queuedNow,
    sent,
    failed,
    skipped,
    remaining: final.queued + final.sending,
    reclaimed,
    failures: ledger.failures(date),
    paused: pauseReason !== null,
    pauseReason,
    stopped: opts.signal?.aborted === true,
    durationMs,
    perSecond,
    target: app.mailer.target,
    summary: '',
  };
  report.summary = summarize(report);
  return report;
}

export function summarize(r: DeliveryReport): string {
  const parts = [`${r.sent} sent`, `${r.failed} failed`, `${r.skipped} skipped`];
  if (r.remaining) parts.push(`${r.remaining} still queued`);
  if (r.reclaimed) parts.push(`${r.reclaimed} resent after a crash`);
  if (r.resumed?.length) parts.push(`including ${r.resumed.map((e) => `${e.sent} left over from ${e.date}`).join(', ')}`);
  let line = `${parts.join(', ')} in ${(r.durationMs / 1000).toFixed(1)} s (${r.perSecond}/s) → ${r.target}`;
  if (r.paused) line += ` — PAUSED: ${r.pauseReason}`;
  else if (r.stopped) line += ' — stopped early; the rest is sent by the next run or `paperboy send`';
  return line;
}
