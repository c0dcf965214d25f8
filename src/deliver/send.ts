// The ledger loop: queue the day's recipients once, send each digest once, survive crashes, retries and bounces.
import type { App } from '../app.ts';
import { weekdayOf } from '../clock.ts';
import type { Edition, Selection, Subscriber } from '../domain.ts';
import { PaperboyError } from '../errors.ts';
import { buildDigest, selectionKey } from '../edition/digest.ts';
import { renderDigestHtml } from '../render/email.ts';
import { editionsFor } from '../schedule/preview-step.ts';
import { deliveriesRepo, type DeliveryRow } from '../store/deliveries.ts';
import { preferencesUrl, unsubscribeUrl } from '../subscribe/tokens.ts';
import { bareAddress } from './compose.ts';
import { buildMimeTemplate, fillMessage, type MimeTemplate } from './message.ts';

export interface DeliverOptions {
  date: string;
  resendFailed?: boolean;
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
  failures: { email: string; reply: string }[];
  paused: boolean;
  pauseReason: string | null;
  stopped: boolean;
  durationMs: number;
  perSecond: number;
  target: string;
  summary: string;
}

/** A temporary failure is retried this many times within a run, then waits for the next run. */
const DEFAULT_RETRY_DELAYS = [1000, 4000, 15000];
/** After this many attempts over all runs a temporarily failing address is given up as failed. */
const MAX_ATTEMPTS = 8;
const LATER_MS = 15 * 60_000;
const PAGE = 500;
const MAX_TEMPLATES = 500;

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
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

  // 1. Materialize today's recipients, once: INSERT OR IGNORE on (edition, subscriber).
  let queuedNow = 0;
  for (const page of app.subscribers.activePages(PAGE)) {
    const rows = page.flatMap((s) => {
      const editions = due(s, date, daily, weekly);
      if (editions.length === 0) return [];
      return [{ subscriberId: s.id, selection: selectionKey({ topics: s.topics, cadence: s.cadence }) }];
    });
    queuedNow += ledger.queueMany(date, rows, now());
  }
  if (opts.resendFailed) ledger.requeueFailed(date, now());

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
        const rendered = await renderDigestHtml(digest, { baseUrl: app.config.baseUrl, archiveUrl: `${app.config.baseUrl}/archive/${date}.html`, topics });
        return buildMimeTemplate(rendered, { from: app.config.from, baseUrl: app.config.baseUrl, date: app.now() });
      })();
      templates.set(key, t);
    }
    return t;
  };

  const counts = ledger.counts(date);
  const total = counts.queued + counts.sending;
  const delays = opts.retryDelaysMs ?? DEFAULT_RETRY_DELAYS;
  const pauseAfter = opts.pauseAfter ?? 20;
  let done = 0;
  let sent = 0;
  let failed = 0;
  let skipped = 0;
  let consecutive = 0;
  let pauseReason: string | null = null;
  const stop = () => pauseReason !== null || opts.signal?.aborted === true;

  async function handle(row: DeliveryRow): Promise<void> {
    const s = app.subscribers.get(row.subscriberId);
    // Re-checked right before sending: someone who unsubscribed mid-run gets nothing.
    if (!s || s.status !== 'active') {
      ledger.mark(date, row.subscriberId, 'skipped', now(), { reply: `subscriber is ${s?.status ?? 'deleted'}` });
      skipped++;
      return;
    }
    const key = selectionKey({ topics: s.topics, cadence: s.cadence });
    const t = await template(key, s);
    if (!t) {
      ledger.mark(date, s.id, 'skipped', now(), { reply: 'no papers in the selected topics' });
      skipped++;
      return;
    }
    const raw = fillMessage(
      t,
      { subscriberId: s.id, editionId: date, email: s.email, unsubscribeUrl: unsubscribeUrl(app.config.baseUrl, app.secrets, s.id), preferencesUrl: preferencesUrl(app.config.baseUrl, app.secrets, s.id) },
      app.config.from,
    );
    for (let attempt = 0; ; attempt++) {
      // Committed before the SMTP transaction: a crash from here on leaves `sending` (resent: at-least-once).
      ledger.mark(date, s.id, 'sending', now(), { attempt: true });
      const outcome = await app.mailer.send({ from: bareAddress(app.config.from), to: s.email, raw, outboxName: `${date}/${s.id}.eml` });
      if (outcome.ok) {
        ledger.mark(date, s.id, 'sent', now(), { reply: outcome.response });
        app.subscribers.resetBounces(s.id);
        sent++;
        consecutive = 0;
        return;
      }
      if (outcome.permanent) {
        ledger.mark(date, s.id, 'failed', now(), { reply: outcome.response });
        app.subscribers.recordBounce(s.id);
        failed++;
        break;
      }
      const attempts = (ledger.get(date, s.id)?.attempts ?? attempt + 1);
      if (attempts >= MAX_ATTEMPTS) {
        ledger.mark(date, s.id, 'failed', now(), { reply: `gave up after ${attempts} attempts: ${outcome.response}` });
        failed++;
        break;
      }
      if (attempt >= delays.length || stop()) {
        // Out of in-run retries: back to the queue for the next run or `paperboy send`.
        ledger.mark(date, s.id, 'queued', now(), { reply: outcome.response, nextAt: new Date(app.now().getTime() + LATER_MS).toISOString() });
        break;
      }
      ledger.mark(date, s.id, 'queued', now(), { reply: outcome.response });
      await sleep(delays[attempt]!, opts.signal);
    }
    consecutive++;
    if (consecutive >= pauseAfter && pauseReason === null) {
      pauseReason = `${consecutive} deliveries in a row failed (last: ${ledger.get(date, s.id)?.lastReply ?? 'unknown'}); fix the mail server, then run \`paperboy send --date ${date}\``;
    }
  }

  // 3. Workers pull rows page by page; memory holds one page, whatever the list size.
  const concurrency = opts.concurrency ?? (app.config.smtp ? app.config.smtp.poolConnections : 4);
  let after = 0;
  let buffer: DeliveryRow[] = [];
  const next = (): DeliveryRow | null => {
    if (stop()) return null;
    if (buffer.length === 0) {
      buffer = ledger.pending(date, after, PAGE, now());
      if (buffer.length === 0) return null;
      after = buffer[buffer.length - 1]!.subscriberId;
    }
    return buffer.shift()!;
  };
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let row = next(); row; row = next()) {
        await handle(row);
        opts.onProgress?.(++done, total);
      }
    }),
  );

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
  let line = `${parts.join(', ')} in ${(r.durationMs / 1000).toFixed(1)} s (${r.perSecond}/s) → ${r.target}`;
  if (r.paused) line += ` — PAUSED: ${r.pauseReason}`;
  else if (r.stopped) line += ' — stopped early; the rest is sent by the next run or `paperboy send`';
  return line;
}
