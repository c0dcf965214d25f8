// The daemon and the cadence with an injected clock: catch-up once, no double edition across restarts, weekly digests.
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.ts';
import { parseConfig } from '../../src/config.ts';
import { startDaemon } from '../../src/schedule/daemon.ts';
import { runOnce } from '../../src/schedule/run.ts';
import { deliveriesRepo } from '../../src/store/deliveries.ts';
import { runsRepo } from '../../src/store/runs.ts';
import { SEEDS, tmpProject, type TmpProject } from '../helpers/tmp.ts';

const apps: App[] = [];
afterEach(async () => {
  for (const a of apps.splice(0)) await a.close();
});
function open(proj: TmpProject, clock: { now: Date }) {
  const app = createApp(parseConfig(proj.env), { now: () => clock.now });
  apps.push(app);
  return app;
}

describe('daemon', () => {
  it('catches up a missed run once on start, and not again after a restart', async () => {
    const proj = tmpProject({ copySeeds: true });
    const clock = { now: new Date('2026-11-24T10:00:00Z') }; // the 07:00 run was missed
    const runs: string[] = [];
    const job = (app: App) => async (trigger: string, date: string, signal: AbortSignal) => {
      runs.push(`${trigger}:${date}`);
      await runOnce(app, { date, trigger: trigger as 'catch-up', send: true, signal });
    };
    const app1 = open(proj, clock);
    const d1 = startDaemon({ app: app1, job: job(app1), log: () => {} });
    await d1.ready;
    await d1.stop();
    expect(runs).toEqual(['catch-up:2026-11-24']);
    // A restart an hour later: the 07:00 run already happened, nothing to catch up.
    clock.now = new Date('2026-11-24T11:00:00Z');
    const app2 = open(proj, clock);
    const d2 = startDaemon({ app: app2, job: job(app2), log: () => {} });
    await d2.ready;
    await d2.stop();
    expect(runs).toEqual(['catch-up:2026-11-24']);
    expect(app2.editions.list().map((e) => e.id)).toEqual(['2026-11-24']);
    // Down for two days: one catch-up, for the latest scheduled time only.
    clock.now = new Date('2026-11-26T09:00:00Z');
    const app3 = open(proj, clock);
    const d3 = startDaemon({ app: app3, job: job(app3), log: () => {} });
    await d3.ready;
    await d3.stop();
    expect(runs).toEqual(['catch-up:2026-11-24', 'catch-up:2026-11-26']);
  });

  it('a --no-send run or a run for another date after the missed time does not count as the day\'s run', async () => {
    const proj = tmpProject({ copySeeds: true });
    const clock = { now: new Date('2026-11-24T09:00:00Z') }; // the 07:00 run was missed
    const app = open(proj, clock);
    await runOnce(app, { send: false, trigger: 'cli' }); // an operator looks at today's edition first
    await runOnce(app, { date: '2026-11-20', send: true, trigger: 'cli' }); // and rebuilds an old day
    clock.now = new Date('2026-11-24T10:00:00Z');
    const runs: string[] = [];
    const d = startDaemon({ app, job: async (trigger, date) => void runs.push(`${trigger}:${date}`), log: () => {} });
    await d.ready;
    await d.stop();
    expect(runs).toEqual(['catch-up:2026-11-24']);
  });

  it('a run whose delivery was stopped (SIGTERM) or paused still owes the day its digest', async () => {
    const proj = tmpProject();
    const clock = { now: new Date('2026-11-24T10:00:00Z') };
    const app = open(proj, clock);
    const ledgerOf = runsRepo(app.db);
    for (const delivery of [{ stopped: true, paused: false }, { stopped: false, paused: true }]) {
      const id = ledgerOf.start('2026-11-24', 'schedule', new Date('2026-11-24T07:00:01Z'));
      ledgerOf.finish(id, new Date('2026-11-24T07:05:00Z'), { delivery });
    }
    const runs: string[] = [];
    const d = startDaemon({ app, job: async (trigger, date) => void runs.push(`${trigger}:${date}`), log: () => {} });
    await d.ready;
    await d.stop();
    expect(runs).toEqual(['catch-up:2026-11-24']);
  });
});

describe('cadence', () => {
  it('weekly subscribers get the week on their weekday only; daily ones every day; nobody twice', async () => {
    const proj = tmpProject();
    const clock = { now: new Date('2026-11-23T07:00:00Z') }; // Monday
    const app = open(proj, clock);
    const sub = (email: string, cadence: 'daily' | 'weekly', weekday: number) =>
      app.subscribers.upsert({ email, topics: null, cadence, weekday, status: 'active', consent: { at: clock.now.toISOString(), ip: null, source: 'test' } }).subscriber;
    const daily = sub('daily@example.org', 'daily', 1);
    const friday = sub('friday@example.org', 'weekly', 5);
    const ledger = deliveriesRepo(app.db);
    const files = ['000_85cfc0436d41684a.txt', '001_9d2220cffeb7fbb9.txt', '002_3519c79454df5631.txt', '003_78b85e7718955e76.txt'];
    // Monday to Friday, a new seed file on some days.
    const days = ['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27'];
    for (const [i, day] of days.entries()) {
      if (files[i]) copyFileSync(join(SEEDS, files[i]!), join(proj.seedsDir, files[i]!));
      clock.now = new Date(`${day}T07:00:00Z`);
      await runOnce(app, { send: true, trigger: 'cli' });
      await runOnce(app, { send: true, trigger: 'cli' }); // a second run the same day sends nothing
    }
    const sentTo = (id: number) => days.filter((d) => ledger.get(d, id)?.status === 'sent');
    expect(sentTo(daily.id)).toEqual(['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26']); // Friday's edition is empty
    expect(sentTo(friday.id)).toEqual(['2026-11-27']);
    const { simpleParser } = await import('mailparser');
    const { readFileSync } = await import('node:fs');
    const weekly = await simpleParser(readFileSync(join(proj.dataDir, 'outbox/2026-11-27', `${friday.id}.eml`)));
    expect(weekly.text).toMatch(/516 new papers/); // the union of the week's editions, each paper once
  });
});
