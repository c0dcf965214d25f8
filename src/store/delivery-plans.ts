// Which editions' deliveries began, and whether their recipients are all queued: an edition is never left half-queued.
import type { Db } from './db.ts';

export interface DeliveryPlan {
  editionId: string;
  startedAt: string;
  /** The highest subscriber id when the delivery began: finishing the queueing later adds nobody newer. */
  subscribersUpto: number;
  queuedAt: string | null;
}

interface Raw {
  edition_id: string;
  started_at: string;
  subscribers_upto: number;
  queued_at: string | null;
}
const toPlan = (r: Raw): DeliveryPlan => ({ editionId: r.edition_id, startedAt: r.started_at, subscribersUpto: r.subscribers_upto, queuedAt: r.queued_at });

export function deliveryPlansRepo(db: Db) {
  const get = db.prepare<[string], Raw>('SELECT * FROM delivery_plans WHERE edition_id = ?');
  const begin = db.prepare(
    `INSERT OR IGNORE INTO delivery_plans (edition_id, started_at, subscribers_upto)
       VALUES (?, ?, (SELECT coalesce(max(id), 0) FROM subscribers))`,
  );
  const done = db.prepare('UPDATE delivery_plans SET queued_at = ? WHERE edition_id = ? AND queued_at IS NULL');
  return {
    get: (editionId: string): DeliveryPlan | null => {
      const r = get.get(editionId);
      return r ? toPlan(r) : null;
    },
    /** Records, in a commit of its own, that the edition's delivery began (once; later calls keep the first). */
    begin(editionId: string, at: string): DeliveryPlan {
      begin.run(editionId, at);
      return toPlan(get.get(editionId)!);
    },
    /** The recipients are all queued: called inside the transaction that queues them. */
    queued(editionId: string, at: string): void {
      done.run(at, editionId);
    },
  };
}

export type DeliveryPlansRepo = ReturnType<typeof deliveryPlansRepo>;
