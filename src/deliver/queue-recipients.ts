// Before a delivery sends anything: the date's recipients queued in the ledger once, and a dead sender's rows reclaimed.
import type { App } from '../app.ts';
import { weekdayOf } from '../clock.ts';
import type { Edition } from '../domain.ts';
import type { DeliveriesRepo } from '../store/deliveries.ts';
import { deliveryPlansRepo } from '../store/delivery-plans.ts';
import { holderAlive } from '../store/leases.ts';

/** A `sending` row older than this is stale whoever claimed it: no SMTP transaction lasts that long. */
const STALE_MS = 15 * 60_000;

export interface QueuePlan {
  date: string;
  daily: Edition[];
  weekly: Edition[];
  resumeOnly?: boolean;
  resendFailed?: boolean;
}

/**
 * Fills the ledger for `date`; returns the rows queued now and the `sending` rows put back in the queue.
 * The recipients go in all at once (one transaction, which also marks the edition's plan queued), after a
 * commit that records the delivery began: a crash while queueing leaves an edition that knows it is owed its
 * recipients, and whatever delivers next (a `send`, the next day's `run`) queues them.
 */
export function queueRecipients(app: App, ledger: DeliveriesRepo, plan: QueuePlan): { queuedNow: number; reclaimed: number } {
  const { date, daily, weekly } = plan;
  const now = () => app.now().toISOString();
  const plans = deliveryPlansRepo(app.db);
  // A resume of an earlier edition queues nobody, unless its queueing never finished: then those who were
  // subscribed when it began (ids up to the plan's) and nobody newer: no one gets a digest from before they joined.
  const existing = plans.get(date);
  const upto = plan.resumeOnly ? (existing && existing.queuedAt === null ? existing.subscribersUpto : null) : Infinity;
  let queuedNow = 0;
  if (upto !== null) {
    if (!existing) plans.begin(date, now());
    // Who is due on `date`: daily readers when the day has an edition, weekly ones on their weekday when the week has one.
    app.db.transaction(() => {
      queuedNow = ledger.queueDue(date, { upto, daily: daily.length > 0, weekly: weekly.length > 0, weekday: weekdayOf(date) }, now());
      plans.queued(date, now());
    })();
  }
  if (plan.resendFailed) ledger.requeueFailed(date, now());
  // The crash policy: rows a dead sender left `sending` (outcome unknown) are sent again: at-least-once.
  // A live sender's rows are left alone, so two senders at once never both send one.
  const reclaimed = ledger.reclaimStale(date, holderAlive, new Date(app.now().getTime() - STALE_MS).toISOString(), now());
  return { queuedNow, reclaimed };
}
