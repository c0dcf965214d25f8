// Queueing in one statement: exactly the due readers, each with the selection key selectionKey() gives their choice.
import { afterEach, describe, expect, it } from 'vitest';
import { deliveriesRepo } from '../../src/store/deliveries.ts';
import { queueRecipients } from '../../src/deliver/queue-recipients.ts';
import { editionsFor } from '../../src/edition/covered.ts';
import { selectionKey } from '../../src/edition/digest.ts';
import { DATE, NOW, setupDelivery, type DeliverySetup } from './setup.ts';

let w: DeliverySetup | null = null;
afterEach(async () => {
  await w?.app.close();
  w = null;
});

describe('queueing a date', () => {
  it('queues the due readers with their selection keys, and nobody else', async () => {
    w = await setupDelivery(0, null);
    const app = w.app;
    const consent = { at: NOW.toISOString(), ip: null, source: 'test' };
    // DATE is a Tuesday (weekday 2).
    const people = [
      { topics: null, cadence: 'daily', weekday: 1, status: 'active' },
      { topics: [], cadence: 'daily', weekday: 1, status: 'active' },
      { topics: ['reasoning', 'language-models', 'reasoning'], cadence: 'daily', weekday: 1, status: 'active' },
      { topics: ['vision'], cadence: 'weekly', weekday: 2, status: 'active' },
      { topics: ['vision'], cadence: 'weekly', weekday: 3, status: 'active' },
      { topics: ['code'], cadence: 'daily', weekday: 1, status: 'unsubscribed' },
      { topics: null, cadence: 'weekly', weekday: 2, status: 'pending' },
    ] as const;
    const ids = people.map((p, i) => app.subscribers.upsert({ email: `q${i}@example.org`, topics: p.topics === null ? null : [...p.topics], cadence: p.cadence, weekday: p.weekday, status: p.status, consent }).subscriber.id);
    const ledger = deliveriesRepo(app.db);
    const plan = { date: DATE, daily: editionsFor(app.editions, DATE, 'daily'), weekly: editionsFor(app.editions, DATE, 'weekly') };
    expect(queueRecipients(app, ledger, plan).queuedNow).toBe(4);
    const queued = app.db.prepare('SELECT subscriber_id AS id, selection FROM deliveries WHERE edition_id = ? ORDER BY subscriber_id').all(DATE);
    const due = [0, 1, 2, 3];
    expect(queued).toEqual(due.map((i) => ({ id: ids[i], selection: selectionKey({ topics: people[i]!.topics === null ? null : [...people[i]!.topics!], cadence: people[i]!.cadence }) })));
    expect(queued.map((r) => (r as { selection: string }).selection)).toEqual(['daily:*', 'daily:', 'daily:language-models,reasoning', 'weekly:vision']);
    // A second queueing of the date queues nobody.
    expect(queueRecipients(app, ledger, plan).queuedNow).toBe(0);
  });
});
