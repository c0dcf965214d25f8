// The send loop of a delivery: claim queued rows a batch at a time, send them, group-commit the outcomes; retries after the pass.
import type { App } from '../app.ts';
import { selectionKey } from '../edition/digest.ts';
import type { DeliveriesRepo, Outcome } from '../store/deliveries.ts';
import type { SendingSubscriber } from '../store/subscribers.ts';
import { newHolder } from '../store/leases.ts';
import { readerPageUrl } from '../reader-links.ts';
import { preferencesUrl, unsubscribeUrl } from '../signed-links.ts';
import type { FailureStreak } from './failure-streak.ts';
import { digestMessageId, fillMessageBytes } from './message.ts';
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
  /** Rows claimed per transaction; default: PAPERBOY_SEND_BATCH. */
  batchSize?: number;
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

/**
 * How long the ledger's word that rows are ours (their claim, or a re-read) stands for sending them, by this
 * process's monotonic clock and its wall clock alike. A sender frozen (SIGSTOP, a suspended VM) or starved past it
 * reads the ledger again before its next message: another sender may have taken the rows over meanwhile, judged by
 * the store's updated_at against its own clock, which this process cannot know. A batch handed to the pool at the
 * speed of the wire is sent within its claim's window and reads nothing more; a slow one reads once per window.
 */
export const HELD_FOR_MS = 100;

/** When the ledger last said a row was ours. */
interface Confirmed {
  mono: number;
  wall: number;
}
const confirmedNow = (): Confirmed => ({ mono: performance.now(), wall: Date.now() });
const stillFresh = (c: Confirmed) => {
  const wall = Date.now() - c.wall;
  return performance.now() - c.mono < HELD_FOR_MS && wall >= 0 && wall < HELD_FOR_MS;
};

/** A claimed row, with its subscriber as read when the batch was claimed (null: deleted since it was queued). */
interface Claimed {
  id: number;
  /** The row's attempts over all runs, this one included (counted by the claim). */
  attempts: number;
  s: SendingSubscriber | null;
  confirmed: Confirmed;
  /** The ledger said it is no longer ours: another sender took it over. Final: only a claim makes a row ours. */
  lost?: boolean;
}

/** An outcome waiting for the group commit, with what follows from it once written (tallies, bounce policy). */
type PendingOutcome = Outcome & { effect: () => void; final: boolean };

/**
 * Sends the queued rows of `date` until none is left, the run pauses, or it is aborted; throws what no outcome covers.
 * Rows are claimed a batch at a time (one transaction, their subscribers read in one statement); outcomes are
 * group-committed (one transaction) before the next batch is claimed. A crash therefore leaves at most one
 * batch plus the messages in flight `sending`, to be sent again: the at-least-once bound.
 */
export async function sendQueued(app: App, ledger: DeliveriesRepo, date: string, template: TemplateFor, streak: FailureStreak, opts: SendOptions): Promise<SendTally> {
  const now = () => app.now().toISOString();
  const owner = newHolder('deliver');
  const total = ledger.counts(date).queued;
  const delays = opts.retryDelaysMs ?? DEFAULT_RETRY_DELAYS;
  const batchSize = opts.batchSize ?? app.config.sendBatch;
  let done = 0;
  let sent = 0;
  let failed = 0;
  let skipped = 0;
  const skippedFor: Record<string, number> = {};
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  let fatal: unknown = null;
  const stop = () => streak.pauseReason !== null || fatal !== null || opts.signal?.aborted === true;
  /** In-run retries used per row, and rows waiting for one (real time: the app clock may stand still). */
  const retried = new Map<number, number>();
  let waiting: { id: number; at: number }[] = [];
  const progressed = () => opts.onProgress?.(++done, total);
  const finish = (id: number) => {
    retried.delete(id);
    progressed();
  };

  let pending: PendingOutcome[] = [];
  /**
   * An outcome for the next group commit. A final one (anything but a retry within this run) counts as done
   * at once, for the progress bar and a stop (SIGTERM) in the middle of a batch; its tallies wait for the commit.
   */
  const record = (id: number, status: Outcome['status'], o: { reply?: string; nextAt?: string | null }, effect: () => void, final = true): void => {
    pending.push({ subscriberId: id, status, ...o, effect, final });
    if (final) progressed();
  };
  /**
   * The group commit. Each outcome is compare-and-set: written only while the row is still ours and `sending`,
   * so a sender frozen past the claim age, whose rows another sender took over, cannot overwrite what that one
   * recorded; its late outcome is dropped and logged.
   */
  const flush = () => {
    if (pending.length === 0) return;
    const outcomes = pending;
    pending = [];
    ledger.markMany(date, owner, now(), outcomes, (o, written) => {
      if (written) return (o as PendingOutcome).effect();
      log(`paperboy: ${date} subscriber ${o.subscriberId}: dropped our late outcome (${o.status}${o.reply ? `: ${o.reply}` : ''}); the row is no longer ours — another sender took it over after our claim went stale`);
      if ((o as PendingOutcome).final) retried.delete(o.subscriberId);
      else finish(o.subscriberId);
    });
  };
  const skip = (id: number, reason: string) =>
    record(id, 'skipped', { reply: reason }, () => {
      skipped++;
      skippedFor[reason] = (skippedFor[reason] ?? 0) + 1;
      retried.delete(id);
    });

  async function handle(c: Claimed): Promise<void> {
    try {
      await attempt(c);
    } catch (err) {
      // mailer.send turns every send error into an outcome, so a throw means the row is still ours and
      // unsent: back to the queue, and stop the run.
      ledger.unclaim(date, c.id, owner, now(), `not sent: ${(err as Error)?.message ?? String(err)}`);
      fatal ??= err;
    }
  }

  /**
   * Whether the row is still ours to send: yes while the ledger's last word on it is fresh (HELD_FOR_MS); else one
   * read for it and the rest of its batch not yet started, which renews their word or marks them lost.
   */
  function stillHeld(c: Claimed): boolean {
    if (c.lost) return false;
    if (stillFresh(c.confirmed)) return true;
    const rows = [c, ...batch.filter((b) => b !== c)];
    const held = ledger.heldOf(date, rows.map((r) => r.id), owner);
    const now = confirmedNow();
    for (const r of rows) {
      if (held.has(r.id)) r.confirmed = now;
      else r.lost = true;
    }
    return !c.lost;
  }

  async function attempt(c: Claimed): Promise<void> {
    const { id, attempts, s } = c;
    // Read with the batch's claim, right before sending: someone who unsubscribed mid-run gets nothing.
    if (!s || s.status !== 'active') return skip(id, `subscriber is ${s?.status ?? 'deleted'}`);
    const key = selectionKey({ topics: s.topics, cadence: s.cadence });
    const t = await template(key, s);
    if (!t) return skip(s.id, NO_PAPERS);
    const picks = await template.picks?.(s);
    // No write: a sender that was frozen past the claim age, whose batch another sender took over, sends none of
    // the rows it no longer holds (only what was already in flight can go out twice).
    if (!stillHeld(c)) {
      log(`paperboy: ${date} subscriber ${id}: not sent by us — our claim went stale and another sender took the row over`);
      return finish(id);
    }
    const raw = fillMessageBytes(t, {
      subscriberId: s.id,
      publicId: s.publicId,
      editionId: date,
      email: s.email,
      unsubscribeUrl: unsubscribeUrl(app.config.baseUrl, app.secrets, s),
      preferencesUrl: preferencesUrl(app.config.baseUrl, app.secrets, s),
      // "View in browser": the reader's own page, signed with the batch read's reader nonce (revoked with it).
      viewUrl: readerPageUrl(app.config.baseUrl, app.secrets, s, s.readerNonce),
      ...picks,
    });
    // The claim committed `sending` before the SMTP transaction: a crash from here on leaves it for the crash policy.
    const outcome = await app.mailer.send({ from: t.envelopeFrom, to: s.email, raw, messageId: digestMessageId(t, date, s.publicId), outboxName: `${date}/${s.id}.eml` });
    const row = { editionId: date, id: s.id };
    if (outcome.ok) {
      return record(s.id, 'sent', { reply: outcome.response }, () => {
        // A delivered message clears earlier soft evidence of a dead mailbox (a write only when there is some).
        if (s.bounceCount > 0) app.subscribers.resetBounces(s.id);
        sent++;
        streak.succeeded((bounced) => app.subscribers.recordBounce(bounced));
        retried.delete(id);
      });
    }
    const failedRow = (reply: string) =>
      record(s.id, 'failed', { reply }, () => {
        failed++;
        streak.failed(row, outcome.kind, outcome.response, true);
        retried.delete(id);
      });
    if (outcome.kind === 'bounce' || outcome.kind === 'rejected') return failedRow(outcome.response);
    if (outcome.kind === 'server') {
      // Not this recipient's fault: queued again as it was.
      return record(s.id, 'queued', { reply: outcome.response }, () => {
        streak.failed(row, outcome.kind, outcome.response, false);
        retried.delete(id);
      });
    }
    if (attempts >= MAX_ATTEMPTS) return failedRow(`gave up after ${attempts} attempts: ${outcome.response}`);
    const used = retried.get(s.id) ?? 0;
    if (used >= delays.length || stop()) {
      // Out of in-run retries: back to the queue for the next run or `paperboy send`.
      return record(s.id, 'queued', { reply: outcome.response, nextAt: new Date(app.now().getTime() + LATER_MS).toISOString() }, () => {
        streak.failed(row, outcome.kind, outcome.response, false);
        retried.delete(id);
      });
    }
    // Re-queued with a not-before time (other senders respect it) and retried after this pass, so a slow
    // or deferring server does not hold a worker asleep.
    const wait = delays[used]!;
    record(s.id, 'queued', { reply: outcome.response, nextAt: new Date(app.now().getTime() + wait).toISOString() }, () => {
      streak.failed(row, outcome.kind, outcome.response, false);
      retried.set(s.id, used + 1);
      waiting.push({ id: s.id, at: Date.now() + wait });
    }, false);
  }

  const concurrency = opts.concurrency ?? (app.config.smtp ? app.config.smtp.poolConnections : 4);
  /** Runs `concurrency` workers over `next` until it is empty or the run stops, then commits their outcomes. */
  const workers = async (next: () => Claimed | null) => {
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        try {
          for (let c = next(); c !== null; c = next()) await handle(c);
        } catch (err) {
          // A store error outside a send (a claim, a commit): every worker stops after its current message,
          // none is left running detached, and the error is raised once they have all finished.
          fatal ??= err;
        }
      }),
    );
    flush();
  };

  // First pass: a batch at a time, in subscriber order; memory holds one batch, whatever the list size.
  let after = 0;
  let batch: Claimed[] = [];
  try {
    await workers(() => {
      if (stop()) return null;
      if (batch.length === 0) {
        // The outcomes so far commit before the next claim: at most one batch is ever claimed and unrecorded.
        flush();
        const rows = ledger.claimBatch(date, after, owner, now(), batchSize);
        if (rows.length === 0) return null;
        after = rows[rows.length - 1]!.subscriberId;
        // The claim is the ledger's word that these rows are ours, as of now.
        const confirmed = confirmedNow();
        const subscribers = app.subscribers.forSending(rows.map((r) => r.subscriberId));
        batch = rows.map((r) => ({ id: r.subscriberId, attempts: r.attempts, s: subscribers.get(r.subscriberId) ?? null, confirmed }));
      }
      return batch.shift()!;
    });
  } finally {
    // Stopped (a pause, SIGTERM, an error) with claimed rows not yet sent: they go back to the queue unsent.
    if (batch.length > 0) ledger.release(date, owner, batch.map((c) => c.id), now());
  }
  // Then the rows waiting for a retry, each when its wait is over (their requeue was committed by the pass).
  while (waiting.length > 0 && !stop()) {
    await sleep(waiting.reduce((m, w) => Math.min(m, w.at), Infinity) - Date.now(), opts.signal);
    const t = Date.now();
    const ready = waiting.filter((w) => w.at <= t).map((w) => w.id);
    waiting = waiting.filter((w) => w.at > t);
    await workers(() => {
      while (!stop() && ready.length > 0) {
        const id = ready.shift()!;
        // The atomic claim: another sender may have taken the row since its wait began.
        const attempts = ledger.claim(date, id, owner, now(), true);
        if (attempts !== null) return { id, attempts, s: app.subscribers.forSending([id]).get(id) ?? null, confirmed: confirmedNow() };
        finish(id);
      }
      return null;
    });
  }
  if (fatal !== null) throw fatal;
  return { sent, failed, skipped, skippedFor };
}
