// Bench: 20,000 ~50 KB digests (--quick 2,000) to a loopback SMTP server in another process: paperboy's ledgered send vs a bare nodemailer pool.
import { fork } from 'node:child_process';
import { copyFileSync, cpSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type App } from '../src/app.ts';
import { parseConfig } from '../src/config.ts';
import { deliver } from '../src/deliver/send.ts';
import { runOnce } from '../src/schedule/run.ts';
import { loadTopics } from '../src/topics/load.ts';
import { SEEDS, tmpProject } from '../test/helpers/tmp.ts';
import { alternate, check, fmt, mb, median, quick, report, runNode } from './lib.ts';

const N = Number(process.env.BENCH_DIGESTS ?? (quick ? 2000 : 20_000));
const REPS = 3;
const POOL = 5;
const DATE = '2026-11-24';
const NOW = '2026-11-24T07:00:00Z';
const HERE = import.meta.dirname;

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
/** A project with the seed edition built and n active subscribers, subscriber i on `topics(i)`. */
async function project(n: number, topics: (i: number) => string[] | null, smtp: boolean): Promise<{ env: Record<string, string>; app: App }> {
  const proj = tmpProject();
  dirs.push(proj.dir);
  copyFileSync(join(SEEDS, '003_78b85e7718955e76.txt'), join(proj.seedsDir, 'seed.txt'));
  const env = { ...proj.env, PAPERBOY_BASE_URL: 'https://papers.example.org', PAPERBOY_FROM: 'Paperboy <news@papers.example.org>', ...(smtp ? { SMTP_URL: smtpUrl, SMTP_POOL_CONNECTIONS: String(POOL), SMTP_MAX_MESSAGES: '1000' } : {}) };
  const app = createApp(parseConfig(env), { now: () => new Date(NOW) });
  await runOnce(app, { send: false, trigger: 'cli' });
  const consent = { at: NOW, ip: null, source: 'bench' };
  app.db.transaction(() => {
    for (let i = 0; i < n; i++) app.subscribers.upsert({ email: `reader${i}@example.org`, topics: topics(i), cadence: 'daily', weekday: 1, status: 'active', consent });
  })();
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

const job = (env: Record<string, string>, count: number) => ({ BENCH_JOB: JSON.stringify({ env, date: DATE, now: NOW, port, pool: POOL, count, messages: chosen.map((f) => f.path) }) });
async function side(mode: 'paperboy' | 'bare', env: Record<string, string>, count: number, extra: Record<string, string> = {}) {
  await stats('reset');
  const r = runNode(['--import', 'tsx', join(HERE, 'send-worker.ts'), mode], { env: { ...process.env, ...job(env, count), ...extra } });
  const line = r.stdout.split('\n').find((l) => l.startsWith('WORKER '));
  check(r.status === 0 && line !== undefined, `${mode} sender failed: ${r.stderr.slice(0, 800)}`);
  const w = JSON.parse(line!.slice(7)) as { ms: number; sent: number };
  const s = await stats('stats');
  // Self-check: the sink got exactly this side's messages, each to its own recipient, of the expected size.
  check(w.sent === count && s.count === count && s.rcpts === count, `${mode}: sent ${w.sent}, sink received ${s.count} (${s.rcpts} recipients), expected ${count}`);
  check(Math.abs(s.bytes / count / 1024 - expectedKb) / expectedKb < 0.1, `${mode}: ${(s.bytes / count / 1024).toFixed(1)} KB a message, expected ~${expectedKb.toFixed(1)}`);
  return { ms: w.ms, perSecond: (count / w.ms) * 1000, rssMb: r.rssMb, kb: s.bytes / count / 1024 };
}

try {
  // A fresh copy of one project's data folder per paperboy repetition (a ledger sends each digest once), made before timing starts.
  const built = await project(N, (i) => [chosen[i % chosen.length]!.slug], true);
  await built.app.close();
  const envs = Array.from({ length: REPS + (process.argv.includes('--profile') ? 1 : 0) }, (_, i) => {
    const dataDir = `${built.env.PAPERBOY_DATA_DIR}-${i}`;
    cpSync(built.env.PAPERBOY_DATA_DIR!, dataDir, { recursive: true });
    return { ...built.env, PAPERBOY_DATA_DIR: dataDir };
  });
  await side('bare', {}, Math.min(500, N)); // warms the sink
  const runs = await alternate(REPS, () => side('paperboy', envs.shift()!, N), () => side('bare', {}, N));
  const rate = median(runs.a.map((r) => r.perSecond));
  const bareRate = median(runs.b.map((r) => r.perSecond));
  const ratio = rate / bareRate;
  const peak = Math.max(...runs.a.map((r) => r.rssMb ?? NaN));
  const barePeak = Math.max(...runs.b.map((r) => r.rssMb ?? NaN));
  const at100k = 100_000 / rate;
  const rates = (xs: { perSecond: number }[]) => xs.map((r) => Math.round(r.perSecond)).join('/');
  console.log(`send: ${fmt(N)} digests of ~${runs.a[0]!.kb.toFixed(0)} KB (${chosen.map((f) => `${f.slug} ${f.kb.toFixed(0)} KB`).join(', ')}), pool ${POOL}, sink counts checked`);
  console.log(`  paperboy median ${fmt(rate)}/s (${rates(runs.a)}), bare nodemailer ${fmt(bareRate)}/s (${rates(runs.b)}): throughput ${ratio.toFixed(2)}×; 100,000 would take ${(at100k / 60).toFixed(1)} min`);
  console.log(`  sender peak RSS: paperboy ${mb(peak)}, bare ${mb(barePeak)}`);
  if (process.argv.includes('--profile')) {
    const file = (who: string) => join(tmpdir(), `paperboy-send-${process.pid}-${who}.cpuprofile`);
    await side('paperboy', envs.shift()!, N, { BENCH_PROFILE: file('paperboy') });
    await side('bare', {}, N, { BENCH_PROFILE: file('bare') });
    console.log(`  CPU profiles of one send each: ${file('paperboy')}, ${file('bare')} (summarize: node --import tsx bench/profile-top.ts <file>)`);
  }
  report({
    workload: 'send',
    size: `${fmt(N)} digests of ~${runs.a[0]!.kb.toFixed(0)} KB`,
    ms: median(runs.a.map((r) => r.ms)),
    baselineMs: median(runs.b.map((r) => r.ms)),
    ratio,
    ratioOf: 'throughput',
    perSecond: Math.round(rate),
    barePerSecond: Math.round(bareRate),
    peakRssMb: peak,
    barePeakRssMb: barePeak,
    targets: [
      { target: 'throughput ≥ 0.9× bare nodemailer', measured: `${ratio.toFixed(2)}× (${fmt(rate)}/s vs ${fmt(bareRate)}/s); sender RSS ${mb(peak)} (bare ${mb(barePeak)})`, pass: ratio >= 0.9 },
      { target: '100,000 digests < 2 min (extrapolated)', measured: `${(at100k / 60).toFixed(1)} min`, pass: at100k < 120 },
    ],
  });
} finally {
  sink.disconnect();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
}
