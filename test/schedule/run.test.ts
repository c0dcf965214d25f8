// One whole run against real files: edition per date, idempotent reruns, guards, lease, time zones, report.
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.ts';
import { parseConfig } from '../../src/config.ts';
import { runOnce } from '../../src/schedule/run.ts';
import { openDb } from '../../src/store/db.ts';
import { deliver } from '../../src/deliver/send.ts';
import { deliveriesRepo } from '../../src/store/deliveries.ts';
import { leasesRepo, RUN_LEASE } from '../../src/store/leases.ts';
import { DATE, setupDelivery } from '../deliver/setup.ts';
import { perRecipient, startSmtp } from '../helpers/smtp.ts';
import { cli, SEEDS, tmpProject, type TmpProject } from '../helpers/tmp.ts';

const apps: App[] = [];
afterEach(async () => {
  for (const a of apps.splice(0)) await a.close();
});

function open(proj: TmpProject, iso: string, env: Record<string, string> = {}): { app: App; set: (iso: string) => void } {
  let now = new Date(iso);
  const app = createApp(parseConfig({ ...proj.env, ...env }), { now: () => now });
  apps.push(app);
  return { app, set: (v) => (now = new Date(v)) };
}

describe('paperboy run', () => {
  it('builds one edition per date; a second run the same day builds nothing new', async () => {
    const proj = tmpProject({ copySeeds: true });
    const { app } = open(proj, '2026-11-24T07:00:00Z');
    const first = await runOnce(app, { send: false, trigger: 'cli' });
    expect(first.date).toBe('2026-11-24');
    expect(first.edition).toMatchObject({ id: '2026-11-24', status: 'published', created: true, papers: 516 });
    expect(first.site.written).toContain('feeds/all.xml');
    expect(existsSync(join(proj.dataDir, 'site/feeds/all.xml'))).toBe(true);
    expect(existsSync(first.preview!.html)).toBe(true);
    const second = await runOnce(app, { send: false, trigger: 'cli' });
    expect(second.ingest.filesIngested).toBe(0);
    expect(second.edition).toMatchObject({ id: '2026-11-24', created: false, papers: 516 });
    expect(second.site.written).toEqual([]);
    expect(app.editions.list()).toHaveLength(1);
  });

  it('a day with nothing new gets an empty edition that says why, and the feeds stay full', async () => {
    const proj = tmpProject({ copySeeds: true });
    const { app, set } = open(proj, '2026-11-24T07:00:00Z');
    await runOnce(app, { send: false, trigger: 'cli' });
    const feed = readFileSync(join(proj.dataDir, 'site/feeds/all.xml'), 'utf8');
    set('2026-11-25T07:00:00Z');
    const next = await runOnce(app, { send: false, trigger: 'cli' });
    expect(next.edition).toMatchObject({ id: '2026-11-25', status: 'empty', reason: 'nothing new in the seeds', papers: 0 });
    expect(next.warnings.join('\n')).toMatch(/edition 2026-11-25 is empty \(nothing new in the seeds\)/);
    expect(readFileSync(join(proj.dataDir, 'site/feeds/all.xml'), 'utf8')).toBe(feed);
    // New papers later that day fill the empty edition instead of waiting a day.
    writeFileSync(join(proj.seedsDir, 'late.txt'), 'Daily Papers\nA Late Paper on Sparse Attention\nWe study sparse attention late in the day.\n');
    const late = await runOnce(app, { send: false, trigger: 'cli' });
    expect(late.edition).toMatchObject({ id: '2026-11-25', status: 'published', papers: 1 });
  });

  it('warns when asked to build a date before the newest edition', async () => {
    const proj = tmpProject({ copySeeds: true });
    const { app } = open(proj, '2026-11-24T07:00:00Z');
    expect((await runOnce(app, { send: false, trigger: 'cli' })).warnings).toEqual([]);
    const old = await runOnce(app, { date: '2026-11-20', send: false, trigger: 'cli' });
    expect(old.warnings).toContain('building 2026-11-20, which is before the newest edition (2026-11-24): it takes the papers no edition holds yet');
    // Rebuilding that date again is no news.
    expect((await runOnce(app, { date: '2026-11-20', send: false, trigger: 'cli' })).warnings.filter((w) => w.startsWith('building'))).toEqual([]);
  });

  it('no seed files at all is an empty edition with that reason', async () => {
    const proj = tmpProject();
    const { app } = open(proj, '2026-11-24T07:00:00Z');
    const r = await runOnce(app, { send: false, trigger: 'cli' });
    expect(r.edition).toMatchObject({ status: 'empty', reason: 'no seed files' });
  });

  it('warns when new seed files hold far fewer papers than usual, and still ingests them', async () => {
    const proj = tmpProject({ copySeeds: true });
    const { app, set } = open(proj, '2026-11-24T07:00:00Z');
    await runOnce(app, { send: false, trigger: 'cli' });
    writeFileSync(join(proj.seedsDir, 'partial.txt'), 'Daily Papers\nOnly One Paper Survived the Download\nIts abstract.\n');
    set('2026-11-25T07:00:00Z');
    const r = await runOnce(app, { send: false, trigger: 'cli' });
    expect(r.warnings.join('\n')).toMatch(/partial\.txt \(1\).*partial download\? Ingested anyway/);
    expect(r.edition.papers).toBe(1);
  });

  it('a run at 23:30 in UTC-8 belongs to that local date', async () => {
    const proj = tmpProject();
    copyFileSync(join(SEEDS, '003_78b85e7718955e76.txt'), join(proj.seedsDir, 'a.txt'));
    const { app } = open(proj, '2026-11-25T07:30:00Z', { PAPERBOY_TZ: 'America/Los_Angeles' });
    const r = await runOnce(app, { send: false, trigger: 'cli' });
    expect(r.edition.id).toBe('2026-11-24');
  });

  it('a second process cannot run while the lease is held, and says why in one line', () => {
    const proj = tmpProject({ copySeeds: true });
    const db = openDb(join(proj.dataDir, 'paperboy.db'));
    leasesRepo(db).acquire(RUN_LEASE, 'other-host:4242', new Date(), 10 * 60_000);
    const r = cli(['run', '--no-send'], proj.env);
    expect(r.status).toBe(75);
    expect(r.stderr.trim()).toMatch(/^paperboy: another run or send is in progress \(other-host:4242, lease until .*\); not starting a second one$/);
    db.close();
  });

  it("the next day's run first sends what an interrupted delivery left queued, to nobody new", async () => {
    const smtp = await startSmtp();
    const { app, env, emails } = await setupDelivery(12, smtp.url, { SMTP_POOL_CONNECTIONS: '2', PAPERBOY_SEND_BATCH: '2' });
    let firstSent = 0;
    try {
      const abort = new AbortController();
      const first = await deliver(app, { date: DATE, retryDelaysMs: [5], signal: abort.signal, onProgress: (done) => done === 4 && abort.abort() });
      expect(first.stopped).toBe(true);
      expect(first.remaining).toBeGreaterThan(0);
      firstSent = first.sent;
      // Someone subscribing after that edition must not get it when it is resumed.
      app.subscribers.upsert({ email: 'late@example.org', topics: null, cadence: 'daily', weekday: 1, status: 'active', consent: { at: new Date().toISOString(), ip: null, source: 'test' } });
    } finally {
      await app.close();
    }
    const next = createApp(parseConfig(env), { now: () => new Date('2026-11-25T07:00:00Z') });
    try {
      const r = await runOnce(next, { send: true, trigger: 'cli' });
      const d = r.delivery as { resumed?: { date: string; sent: number }[]; remaining: number; summary: string };
      expect(d.resumed).toEqual([expect.objectContaining({ date: DATE, sent: 12 - firstSent })]);
      expect(d.remaining).toBe(0);
      expect(d.summary).toMatch(new RegExp(`left over from ${DATE}`));
      expect(deliveriesRepo(next.db).counts(DATE)).toMatchObject({ sent: 12, queued: 0, sending: 0 });
      const counts = perRecipient(smtp.messages);
      for (const e of emails) expect(counts.get(e), e).toBe(1);
      expect(counts.has('late@example.org')).toBe(false);
    } finally {
      await next.close(); // before the server, which waits for open connections
      await smtp.close();
    }
  });
});
