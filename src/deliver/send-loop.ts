// The send loop of a delivery: claim each queued row, send it, record the outcome; retries after the pass, pause on a failing server.
import type { App } from '../app.ts';
import { selectionKey } from '../edition/digest.ts';
import type { DeliveriesRepo } from '../store/deliveries.ts';
import { newHolder } from '../store/leases.ts';
import { preferencesUrl, unsubscribeUrl } from '../subscribe/tokens.ts';
import type { FailureStreak } from './failure-streak.ts';
import { fillMessage } from './message.ts';
import type { TemplateFor } from './template-cache.ts';

export interface SendOptions {
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
  /** Waits before in-run retries of a temporary failure; tests shorten them. */
  retryDelaysMs?: number[];
  /** Consecutive failures that pause the run instead of burning through the list. */
  pauseAfter?: number;
  /** The bounce and pause policy, shared by the editions of one run (deliver-step.ts); else one per delivery. */
  streak?: FailureStreak;
  /** Where a dropped late outcome is logged (default: stderr). */
  log?: (line: string) => void;
  /** Sends in flight at once; default: the SMTP pool size (outbox: 4). */
  concurrency?: number;
}

export interface SendTally {
  sent: number;
  failed: number;
  skipped: number;
  /** Skipped rows by reason (`no papers in the selected topics`, `subscriber is unsubscribed`). */
  skippedFor: Record<string, number>;
}

/** Why a subscriber due that day gets no email: their topics had nothing new (no digest is rendered for them). */
export const NO_PAPERS = 'no papers in the selected topics';

/** A temporary failure is retried this many times within a run (after the pass, not in the worker), then waits for the next run. */
const DEFAULT_RETRY_DELAYS = [1000, 4000, 15000];
/** After this many attempts over all runs a temporarily failing address is given up as failed. */
const MAX_ATTEMPTS = 8;
const LATER_MS = 15 * 60_000;
export const DEFAULT_PAUSE_AFTER = 20;
/** Ledger rows read per page by the workers. */
const LEDGER_PAGE = 500;

/** Resolves after `ms` or on abort, whichever is first, and leaves no listener on the signal either way. */
const sleep = (ms: number, signal?: AbortSignal) =>
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

/** Sends the queued rows of `date` until none is left, the run pauses, or it is aborted; throws what no outcome covers. */
export async function sendQueued(app: App, ledger: DeliveriesRepo, date: string, template: TemplateFor, streak: FailureStreak, opts: SendOptions): Promise<SendTally> {
  const now = () => app.now().toISOString();
  const owner = newHolder('deliver');
  const total = ledger.counts(date).queued;
  const delays = opts.retryDelaysMs ?? DEFAULT_RETRY_DELAYS;
  let done = 0;
  let sent = 0;
  let failed = 0;
  let skipped = 0;
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  /**
   * Records an outcome only while the row is still ours and `sending` (compare-and-set): a sender that was
   * frozen past the claim age, whose rows another sender took over, must not overwrite what that one recorded.
   */
  const record = (id: number, status: 'sent' | 'failed' | 'skipped' | 'queued', o: { reply?: string; nextAt?: string | null } = {}): boolean => {
    if (ledger.mark(date, id, owner, status, now(), o)) return true;
    log(`paperboy: ${date} subscriber ${id}: dropped our late outcome (${status}${o.reply ? `: ${o.reply}` : ''}); the row is no longer ours — another sender took it over after our claim went stale`);
    finish(id);
    return false;
  };
  const skippedFor: Record<string, number> = {};
  const skip = (id: number, reason: string) => {
    if (!record(id, 'skipped', { reply: reason })) return;
    skipped++;
    skippedFor[reason] = (skippedFor[reason] ?? 0) + 1;
    finish(id);
  };
  let fatal: unknown = null;
  const stop = () => streak.pauseReason !== null || fatal !== null || opts.signal?.aborted === true;
  /** In-run retries used per row, and rows waiting for one (real time: the app clock may stand still). */
  const retried = new Map<number, number>();
  let waiting: { id: number; at: number }[] = [];
  const finish = (id: number) => {
    retried.delete(id);
    opts.onProgress?.(++done, total);
  };

  async function handle(id: number, retry: boolean): Promise<void> {
    // The atomic claim: another sender (or a retry that raced us) may have taken the row since it was read.
    const attempts = ledger.claim(date, id, owner, now(), retry);
    if (attempts === null) return finish(id);
    try {
      await attempt(id, attempts);
    } catch (err) {
      // mailer.send turns every send error into an outcome, so a throw means the row is still ours and
      // unsent (or already recorded): back to the queue if so, and stop the run.
      ledger.unclaim(date, id, owner, now(), `not sent: ${(err as Error)?.message ?? String(err)}`);
      fatal ??= err;
    }
  }

  /** `attempts`: the row's attempts over all runs, this one included (counted by the claim). */
  async function attempt(id: number, attempts: number): Promise<void> {
    const s = app.subscribers.get(id);
    // Re-checked right before sending: someone who unsubscribed mid-run gets nothing.
    if (!s || s.status !== 'active') {
      return skip(id, `subscriber is ${s?.status ?? 'deleted'}`);
    }
    const key = selectionKey({ topics: s.topics, cadence: s.cadence });
    const t = await template(key, s);
    if (!t) {
      return skip(s.id, NO_PAPERS);
    }
    const raw = fillMessage(t, {
      subscriberId: s.id,
      editionId: date,
      email: s.email,
      unsubscribeUrl: unsubscribeUrl(app.config.baseUrl, app.secrets, s),
      preferencesUrl: preferencesUrl(app.config.baseUrl, app.secrets, s),
      ...template.picks?.(s),
    });
    // The claim committed `sending` before the SMTP transaction: a crash from here on leaves it for the crash policy.
    const outcome = await app.mailer.send({ from: t.envelopeFrom, to: s.email, raw, outboxName: `${date}/${s.id}.eml` });
    if (outcome.ok) {
      if (!record(s.id, 'sent', { reply: outcome.response })) return;
      // A delivered message clears earlier soft evidence of a dead mailbox (a write only when there is some).
      if (s.bounceCount > 0) app.subscribers.resetBounces(s.id);
      sent++;
      streak.succeeded((bounced) => app.subscribers.recordBounce(bounced));
      return finish(id);
    }
    if (outcome.kind === 'bounce' || outcome.kind === 'rejected') {
      if (!record(s.id, 'failed', { reply: outcome.response })) return;
      failed++;
      streak.failed({ editionId: date, id: s.id }, outcome.kind, outcome.response, true);
      return finish(id);
    }
    if (outcome.kind === 'server') {
      // Not this recipient's fault: queued again as it was.
      if (!record(s.id, 'queued', { reply: outcome.response })) return;
      streak.failed({ editionId: date, id: s.id }, outcome.kind, outcome.response, false);
      return finish(id);
    }
    if (attempts >= MAX_ATTEMPTS) {
      if (!record(s.id, 'failed', { reply: `gave up after ${attempts} attempts: ${outcome.response}` })) return;
      failed++;
      streak.failed({ editionId: date, id: s.id }, outcome.kind, outcome.response, true);
      return finish(id);
    }
    const used = retried.get(s.id) ?? 0;
    if (used >= delays.length || stop()) {
      // Out of in-run retries: back to the queue for the next run or `paperboy send`.
      if (!record(s.id, 'queued', { reply: outcome.response, nextAt: new Date(app.now().getTime() + LATER_MS).toISOString() })) return;
      streak.failed({ editionId: date, id: s.id }, outcome.kind, outcome.response, false);
      return finish(id);
    }
    // Re-queued with a not-before time (other senders respect it) and retried after this pass, so a slow
    // or deferring server does not hold a worker asleep.
    const wait = delays[used]!;
    if (!record(s.id, 'queued', { reply: outcome.response, nextAt: new Date(app.now().getTime() + wait).toISOString() })) return;
    streak.failed({ editionId: date, id: s.id }, outcome.kind, outcome.response, false);
    retried.set(s.id, used + 1);
    waiting.push({ id: s.id, at: Date.now() + wait });
  }

  // Workers pull rows page by page; memory holds one page, whatever the list size.
  const concurrency = opts.concurrency ?? (app.config.smtp ? app.config.smtp.poolConnections : 4);
  const workers = async (next: () => number | null, retry: boolean) =>
    Promise.all(
      Array.from({ length: concurrency }, async () => {
        try {
          for (let id = next(); id !== null; id = next()) await handle(id, retry);
        } catch (err) {
          // A store error outside a send (a claim, a page read): every worker stops after its current
          // message, none is left running detached, and the error is raised once they have all finished.
          fatal ??= err;
        }
      }),
    );
  let after = 0;
  let buffer: number[] = [];
  await workers(() => {
    if (stop()) return null;
    if (buffer.length === 0) {
      buffer = ledger.pending(date, after, LEDGER_PAGE, now()).map((r) => r.subscriberId);
      if (buffer.length === 0) return null;
      after = buffer[buffer.length - 1]!;
    }
    return buffer.shift()!;
  }, false);
  // Then the rows waiting for a retry, each when its wait is over.
  while (waiting.length > 0 && !stop()) {
    await sleep(waiting.reduce((m, w) => Math.min(m, w.at), Infinity) - Date.now(), opts.signal);
    const t = Date.now();
    const ready = waiting.filter((w) => w.at <= t).map((w) => w.id);
    waiting = waiting.filter((w) => w.at > t);
    await workers(() => (stop() ? null : (ready.shift() ?? null)), true);
  }
  if (fatal !== null) throw fatal;
  return { sent, failed, skipped, skippedFor };
}
