// Bench: N digests (default 20,000; --quick 2,000) to a loopback SMTP server in another process:
// paperboy's ledgered send vs a bare nodemailer pooled loop of the same pre-built messages.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { deliver } from '../src/deliver/send.ts';
import { setupDelivery, DATE } from '../test/deliver/setup.ts';
import { quick, report, time } from './lib.ts';

const N = Number(process.env.BENCH_DIGESTS ?? (quick ? 2000 : 20_000));
const POOL = 5;

const sink = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'smtp-sink.ts')], { stdio: ['ignore', 'pipe', 'inherit'] });
const port = await new Promise<number>((resolve) => sink.stdout.on('data', (d: Buffer) => resolve(Number(/PORT (\d+)/.exec(String(d))![1]))));
try {
  const { app } = await setupDelivery(N, `smtp://127.0.0.1:${port}`, { SMTP_POOL_CONNECTIONS: String(POOL), SMTP_MAX_MESSAGES: '1000' });
  const raw = await sampleMessage(port);
  const transport = nodemailer.createTransport({ pool: true, host: '127.0.0.1', port, secure: false, maxConnections: POOL, maxMessages: 1000, maxRequeues: 0 });
  const bareLoop = async (count: number) => {
    let next = 0;
    await Promise.all(
      Array.from({ length: POOL }, async () => {
        while (next < count) {
          const i = next++;
          await transport.sendMail({ envelope: { from: 'news@papers.example.org', to: [`reader${i}@example.org`] }, raw });
        }
      }),
    );
  };
  // Warm the sink (and the JIT on both sides) first, so neither measured run pays for it.
  await bareLoop(Math.min(500, N));
  const rssBefore = process.memoryUsage().rss;
  let peak = rssBefore;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const ours = await time(() => deliver(app, { date: DATE, concurrency: Number(process.env.BENCH_CONCURRENCY ?? POOL) }));
  clearInterval(sampler);
  if (ours.value.sent !== N) throw new Error(`send bench: sent ${ours.value.sent} of ${N}`);
  // The bare loop sends paperboy's own bytes (one filled message read back from the outbox), so sizes match.
  const bare = await time(() => bareLoop(N));
  transport.close();
  const oursRate = N / (ours.ms / 1000);
  const bareRate = N / (bare.ms / 1000);
  console.log(`send: ${N} digests (~${Math.round(raw.length / 1024)} KB) — paperboy ${Math.round(oursRate)}/s, bare nodemailer ${Math.round(bareRate)}/s, throughput ratio ${(oursRate / bareRate).toFixed(2)}; sender RSS peak ${(peak / 1e6).toFixed(0)} MB (start ${(rssBefore / 1e6).toFixed(0)} MB)`);
  report({ workload: 'send', digests: N, kb: Math.round(raw.length / 1024), ms: ours.ms, baselineMs: bare.ms, ratio: ours.ms / bare.ms, throughputRatio: oursRate / bareRate, perSecond: Math.round(oursRate), bareperSecond: Math.round(bareRate), peakRssMb: Math.round(peak / 1e6), target: 'throughput ratio ≥ 0.9' });
  await app.close();
} finally {
  sink.kill('SIGTERM');
}

/** One real digest as paperboy builds it (read from the outbox of a one-subscriber run). */
async function sampleMessage(_port: number): Promise<string> {
  const { app } = await setupDelivery(1, null);
  await deliver(app, { date: DATE });
  const { readFileSync, readdirSync } = await import('node:fs');
  const dir = join(app.config.outboxDir, DATE);
  const raw = readFileSync(join(dir, readdirSync(dir)[0]!), 'utf8');
  await app.close();
  return raw;
}
