// Before a delivery sends anything: the date's recipients queued in the ledger once, and a dead sender's rows reclaimed.
import type { App } from '../app.ts';
import { weekdayOf } from '../clock.ts';
import type { Edition, Subscriber } from '../domain.ts';
import { selectionKey } from '../edition/digest.ts';
import type { DeliveriesRepo } from '../store/deliveries.ts';
import { deliveryPlansRepo } from '../store/delivery-plans.ts';
import { holderAlive } from '../store/leases.ts';

/** Subscribers read per page while queueing: memory holds one page, whatever the list size. */
const SUBSCRIBER_PAGE = 500;
/** A `sending` row older than this is stale whoever claimed it: no SMTP transaction lasts that long. */
const STALE_MS = 15 * 60_000;

export interface QueuePlan {
  date: string;
  daily: Edition[];
  weekly: Edition[];
  resumeOnly?: boolean;
  resendFailed?: boolean;
}

/** Whether a subscriber gets a digest on `date`: their cadence's editions are not empty, and weekly only on their weekday. */
function due(s: Subscriber, date: string, daily: Edition[], weekly: Edition[]): boolean {
  if (s.cadence === 'weekly') return weekdayOf(date) === s.weekday && weekly.length > 0;
  return daily.length > 0;
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
    app.db.transaction(() => {
      for (const page of app.subscribers.activePages(SUBSCRIBER_PAGE)) {
        const rows = page
          .filter((s) => s.id <= upto && due(s, date, daily, weekly))
          .map((s) => ({ subscriberId: s.id, selection: selectionKey({ topics: s.topics, cadence: s.cadence }) }));
        queuedNow += ledger.queueMany(date, rows, now());
        if (page[page.length - 1]!.id > upto) break;
      }
      plans.queued(date, now());
    })();
  }
  if (plan.resendFailed) ledger.requeueFailed(date, now());
  // The crash policy: rows a dead sender left `sending` (outcome unknown) are sent again: at-least-once.
  // A live sender's rows are left alone, so two senders at once never both send one.
  const reclaimed = ledger.reclaimStale(date, holderAlive, new Date(app.now().getTime() - STALE_MS).toISOString(), now());
  return { queuedNow, reclaimed };
}
