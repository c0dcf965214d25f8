// A subscriber whose topics have nothing new that day gets no email, and the delivery report says how many and why.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { OTHER_TOPIC } from '../../src/domain.ts';
import { deliveriesRepo } from '../../src/store/deliveries.ts';
import { cli } from '../helpers/tmp.ts';
import { DATE, NOW, setupDelivery, type DeliverySetup } from './setup.ts';

let setup: DeliverySetup | null = null;
afterEach(async () => {
  await setup?.app.close();
  setup = null;
});

describe('nothing in their topics', () => {
  it('no email that day; a skipped row with its reason; the report counts it by reason', async () => {
    setup = await setupDelivery(2, null);
    const { app, env } = setup;
    const edition = app.editions.get(DATE)!;
    const inEdition = new Set(edition.papers.flatMap((ep) => ep.classification.topics.map((t) => t.slug)));
    const quiet = app.topics().topics.find((t) => t.slug !== OTHER_TOPIC && !inEdition.has(t.slug))!;
    expect(quiet, 'a topic with no paper that day').toBeDefined();
    app.subscribers.upsert({ email: 'quiet@example.org', topics: [quiet.slug], cadence: 'daily', weekday: 1, status: 'active', consent: { at: NOW.toISOString(), ip: null, source: 'test' } });
    const quietId = app.subscribers.findByEmail('quiet@example.org')!.id;

    const r = cli(['send', '--date', DATE, '--json'], env);
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ sent: 2, skipped: 1, skippedFor: { 'no papers in the selected topics': 1 } });
    expect(report.summary).toMatch(/^2 sent, 0 failed, 1 skipped \(1: no papers in the selected topics\)/);
    const files = readdirSync(join(env.PAPERBOY_DATA_DIR!, 'outbox', DATE));
    expect(files.filter((f) => f.endsWith('.eml'))).toHaveLength(2);
    expect(deliveriesRepo(app.db).get(DATE, quietId)).toMatchObject({ status: 'skipped', lastReply: 'no papers in the selected topics' });
  });
});
