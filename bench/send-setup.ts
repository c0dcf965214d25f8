// Send bench setup, shared by bench/send.ts and bench/send-ab.ts: the loopback sink, the ~50 KB digests, a project of n readers, one timed side.
import { fork } from 'node:child_process';
import { copyFileSync, cpSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createApp, type App } from '../src/app.ts';
import { parseConfig } from '../src/config.ts';
import { deliver } from '../src/deliver/send.ts';
import { runOnce } from '../src/schedule/run.ts';
import { loadTopics } from '../src/topics/load.ts';
import { SEEDS, tmpProject } from '../test/helpers/tmp.ts';
import { check, ensureBuilt, runNode } from './lib.ts';

export const POOL = 5;
const DATE = '2026-11-24';
const NOW = '2026-11-24T07:00:00Z';
const HERE = import.meta.dirname;

export interface SideResult {
  ms: number;
  /** The sender's CPU time (user + system) while sending. */
  cpuMs: number;
  /** Wall and CPU ms from the start of the timed work to the first message handed to the mailer. */
  firstMs?: number;
  firstCpuMs?: number;
  perSecond: number;
  rssMb: number | null;
  kb: number;
}

export interface SendSetup {
  /** `<slug> <KB>` of each digest in the workload. */
  chosen: { path: string; slug: string; kb: number }[];
  /** Data folders of `n` queued readers, one fresh copy per paperboy side (a ledger sends each digest once). */
  copies: (count: number) => Record<string, string>[];
  side(mode: 'paperboy' | 'bare' | 'overhead', env: Record<string, string>, count: number, extra?: Record<string, string>): Promise<SideResult>;
  close(): void;
}

export async function sendSetup(n: number): Promise<SendSetup> {
  // The paperboy sender runs the compiled dist/, as `paperboy send` does (send-worker.ts).
  if (process.env.BENCH_SOURCES !== '1') ensureBuilt();
  // The sink counts per phase over IPC: `reset` before a side runs, `stats` after it.
  const sink = fork(join(HERE, 'smtp-sink.ts'), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  type Stats = { count: number; bytes: number; rcpts: number };
  const stats = (m: 'reset' | 'stats') =>
    new Promise<Stats>((resolve) => {
      sink.once('message', (s) => resolve(s as Stats));
      sink.send(m);
    });
  const port = await new Promise<number>((resolve) => sink.once('message', (m) => resolve((m as { port: number }).port)));
  const smtpUrl = `smtp://127.0.0.1:${port}`;

  const dirs: string[] = [];
  /** A project with n active subscribers, subscriber i on `topics(i)`, and the seed edition built by a run. */
  async function project(count: number, topics: (i: number) => string[] | null, smtp: boolean): Promise<{ env: Record<string, string>; app: App }> {
    const proj = tmpProject();
    dirs.push(proj.dir);
    copyFileSync(join(SEEDS, '003_78b85e7718955e76.txt'), join(proj.seedsDir, 'seed.txt'));
    const env = { ...proj.env, PAPERBOY_BASE_URL: 'https://papers.example.org', PAPERBOY_FROM: 'Paperboy <news@papers.example.org>', ...(smtp ? { SMTP_URL: smtpUrl, SMTP_POOL_CONNECTIONS: String(POOL), SMTP_MAX_MESSAGES: '1000' } : {}) };
    const app = createApp(parseConfig(env), { now: () => new Date(NOW) });
    const consent = { at: NOW, ip: null, source: 'bench' };
    app.db.transaction(() => {
      for (let i = 0; i < count; i++) app.subscribers.upsert({ email: `reader${i}@example.org`, topics: topics(i), cadence: 'daily', weekday: 1, status: 'active', consent });
    })();
    // What a real `run --no-send` does before a `paperboy send`: the edition, the site, and the digests rendered
    // once for the selections due and stored (deliver/digest-parts.ts), which the timed send builds its messages from.
    await runOnce(app, { send: false, trigger: 'cli' });
    return { env, app };
  }

  // The digests: one subscriber per topic sends to the outbox; the single-topic selections whose message is
  // 40–62 KB (nearest 50 KB first, up to four) are the workload, and their outbox files the bare side's messages.
  const slugs = loadTopics(join(HERE, '..', 'topics.yaml')).topics.map((t) => t.slug);
  const probe = await project(slugs.length, (i) => [slugs[i]!], false);
  await deliver(probe.app, { date: DATE });
  const outbox = join(probe.app.config.outboxDir, DATE);
  const files = readdirSync(outbox).map((f) => ({ path: join(outbox, f), slug: slugs[Number(f.split('.')[0]) - 1]!, kb: statSync(join(outbox, f)).size / 1024 }));
  await probe.app.close();
  const byFit = files.sort((a, b) => Math.abs(a.kb - 50) - Math.abs(b.kb - 50));
  const chosen = byFit.filter((f) => f.kb >= 40 && f.kb <= 62).slice(0, 4);
  if (chosen.length === 0) chosen.push(byFit[0]!);
  const expectedKb = chosen.reduce((s, f) => s + f.kb, 0) / chosen.length;

  const built = await project(n, (i) => [chosen[i % chosen.length]!.slug], true);
  await built.app.close();
  let copied = 0;
  const copies = (count: number) =>
    Array.from({ length: count }, () => {
      const dataDir = `${built.env.PAPERBOY_DATA_DIR}-${copied++}`;
      cpSync(built.env.PAPERBOY_DATA_DIR!, dataDir, { recursive: true });
      return { ...built.env, PAPERBOY_DATA_DIR: dataDir };
    });

  const job = (env: Record<string, string>, count: number) => ({ BENCH_JOB: JSON.stringify({ env, date: DATE, now: NOW, port, pool: POOL, count, messages: chosen.map((f) => f.path) }) });
  async function side(mode: 'paperboy' | 'bare' | 'overhead', env: Record<string, string>, count: number, extra: Record<string, string> = {}): Promise<SideResult> {
    await stats('reset');
    const r = runNode(['--import', 'tsx', join(HERE, 'send-worker.ts'), mode], { env: { ...process.env, ...job(env, count), ...extra } });
    const line = r.stdout.split('\n').find((l) => l.startsWith('WORKER '));
    check(r.status === 0 && line !== undefined, `${mode} sender failed: ${r.stderr.slice(0, 800)}`);
    const w = JSON.parse(line!.slice(7)) as { ms: number; cpuMs: number; sent: number; firstMs?: number; firstCpuMs?: number };
    const s = await stats('stats');
    if (mode === 'overhead') {
      check(w.sent === count && s.count === 0, `overhead: sent ${w.sent} of ${count}, sink received ${s.count}`);
      return { ms: w.ms, cpuMs: w.cpuMs, firstMs: w.firstMs, firstCpuMs: w.firstCpuMs, perSecond: (count / w.ms) * 1000, rssMb: r.rssMb, kb: 0 };
    }
    // Self-check: the sink got exactly this side's messages, each to its own recipient, of the expected size.
    check(w.sent === count && s.count === count && s.rcpts === count, `${mode}: sent ${w.sent}, sink received ${s.count} (${s.rcpts} recipients), expected ${count}`);
    check(Math.abs(s.bytes / count / 1024 - expectedKb) / expectedKb < 0.1, `${mode}: ${(s.bytes / count / 1024).toFixed(1)} KB a message, expected ~${expectedKb.toFixed(1)}`);
    return { ms: w.ms, cpuMs: w.cpuMs, firstMs: w.firstMs, firstCpuMs: w.firstCpuMs, perSecond: (count / w.ms) * 1000, rssMb: r.rssMb, kb: s.bytes / count / 1024 };
  }

  return {
    chosen,
    copies,
    side,
    close() {
      sink.disconnect();
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
      for (let i = 0; i < copied; i++) rmSync(`${built.env.PAPERBOY_DATA_DIR}-${i}`, { recursive: true, force: true });
    },
  };
}
