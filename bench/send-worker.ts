// One timed sender for the send bench, in a process of its own so its peak memory is its own: paperboy or bare.
import { readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import nodemailer from 'nodemailer';

const [mode] = process.argv.slice(2);
type Out = { ms: number; cpuMs: number; sent: number; firstMs?: number; firstCpuMs?: number };
const job = JSON.parse(process.env.BENCH_JOB!) as { env: Record<string, string>; date: string; now: string; port: number; pool: number; count: number; messages: string[] };

/** Times `fn`; with BENCH_PROFILE=<file> also writes a CPU profile of it alone (not module loading), for bench/profile-top.ts. */
async function timed(fn: () => Promise<{ sent: number }>): Promise<Out> {
  const session = process.env.BENCH_PROFILE ? new Session() : null;
  session?.connect();
  await session?.post('Profiler.enable');
  await session?.post('Profiler.start');
  const t = performance.now();
  const cpu = process.cpuUsage();
  started = { t, cpu };
  const { sent } = await fn();
  const used = process.cpuUsage(cpu);
  const ms = performance.now() - t;
  if (session) writeFileSync(process.env.BENCH_PROFILE!, JSON.stringify((await session.post('Profiler.stop')).profile));
  // CPU time (user + system) of the whole process: steadier than wall clock on a shared machine.
  return { ms, cpuMs: (used.user + used.system) / 1000, sent, ...first };
}

/** When the timed work began, and how long it took (wall, CPU) until the first message was handed to the mailer. */
let started: { t: number; cpu: NodeJS.CpuUsage } | null = null;
let first: { firstMs?: number; firstCpuMs?: number } = {};
const firstSend = () => {
  if (started && first.firstMs === undefined) {
    const used = process.cpuUsage(started.cpu);
    first = { firstMs: performance.now() - started.t, firstCpuMs: (used.user + used.system) / 1000 };
  }
};

let out: Out;
if (mode === 'paperboy' || mode === 'overhead') {
  // The ledgered send as `paperboy send` runs it: the app from config, deliver() over the queued subscribers.
  // Imported here only, so the bare sender's memory holds none of paperboy. `overhead` (bench/send-ab.ts --overhead):
  // the same with a mailer that takes each message and sends nothing, so the CPU is paperboy's own work alone.
  // The compiled dist/ (what `paperboy send` runs; send-setup.ts builds it), unless BENCH_SOURCES=1: the sources through tsx.
  const at = (m: string) => (process.env.BENCH_SOURCES === '1' ? `../src/${m}.ts` : `../dist/${m}.js`);
  type Src = [typeof import('../src/app.ts'), typeof import('../src/config.ts'), typeof import('../src/deliver/send.ts')];
  const [{ createApp }, { parseConfig }, { deliver }] = (await Promise.all([import(at('app')), import(at('config')), import(at('deliver/send'))])) as Src;
  const nowhere = { kind: 'smtp' as const, target: 'nowhere', send: async () => ({ ok: true as const, response: '250 taken' }), close: async () => {} };
  const app = createApp(parseConfig(job.env), { now: () => new Date(job.now), ...(mode === 'overhead' ? { mailer: nowhere } : {}) });
  const send = app.mailer.send.bind(app.mailer);
  app.mailer.send = (m) => (firstSend(), send(m));
  out = await timed(() => deliver(app, { date: job.date }));
  await app.close();
} else {
  // Bare: nodemailer's pool with the same settings, `pool` sends in flight, pre-built messages (paperboy's bytes).
  const raws = job.messages.map((p) => readFileSync(p, 'utf8'));
  const transport = nodemailer.createTransport({ pool: true, host: '127.0.0.1', port: job.port, secure: false, maxConnections: job.pool, maxMessages: 1000, maxRequeues: 0 });
  let next = 0;
  out = await timed(async () => {
    let sent = 0;
    const loop = async () => {
      for (let i = next++; i < job.count; i = next++) {
        firstSend();
        await transport.sendMail({ envelope: { from: 'news@papers.example.org', to: [`reader${i}@example.org`] }, raw: raws[i % raws.length]! });
        sent++;
      }
    };
    await Promise.all(Array.from({ length: job.pool }, loop));
    return { sent };
  });
  transport.close();
}
console.log(`WORKER ${JSON.stringify(out)}`);
