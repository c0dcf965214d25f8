// Bench: 20,000 ~50 KB digests (--quick 2,000) to a loopback SMTP server in another process: paperboy's ledgered send vs a bare nodemailer pool.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { alternate, fmt, mb, median, quick, report } from './lib.ts';
import { POOL, sendSetup, type SideResult } from './send-setup.ts';

const N = Number(process.env.BENCH_DIGESTS ?? (quick ? 2000 : 20_000));
const REPS = 3;

const setup = await sendSetup(N);
try {
  const { chosen, side } = setup;
  const profile = process.argv.includes('--profile');
  // A fresh copy of one project's data folder per paperboy repetition, made before timing starts.
  const envs = setup.copies(REPS + (profile ? 1 : 0));
  await side('bare', {}, Math.min(500, N)); // warms the sink
  const runs = await alternate(REPS, () => side('paperboy', envs.shift()!, N), () => side('bare', {}, N));
  const rate = median(runs.a.map((r) => r.perSecond));
  const bareRate = median(runs.b.map((r) => r.perSecond));
  const ratio = rate / bareRate;
  const peak = Math.max(...runs.a.map((r) => r.rssMb ?? NaN));
  const barePeak = Math.max(...runs.b.map((r) => r.rssMb ?? NaN));
  const at100k = 100_000 / rate;
  const rates = (xs: SideResult[]) => xs.map((r) => Math.round(r.perSecond)).join('/');
  // CPU per message: what each side costs the machine, steadier than the wall clock when the cores are shared.
  const cpuUs = (xs: SideResult[]) => median(xs.map((r) => (r.cpuMs * 1000) / N));
  console.log(`send: ${fmt(N)} digests of ~${runs.a[0]!.kb.toFixed(0)} KB (${chosen.map((f) => `${f.slug} ${f.kb.toFixed(0)} KB`).join(', ')}), pool ${POOL}, sink counts checked`);
  console.log(`  paperboy median ${fmt(rate)}/s (${rates(runs.a)}), bare nodemailer ${fmt(bareRate)}/s (${rates(runs.b)}): throughput ${ratio.toFixed(2)}×; 100,000 would take ${(at100k / 60).toFixed(1)} min`);
  console.log(`  sender CPU per message: paperboy ${cpuUs(runs.a).toFixed(0)} µs, bare ${cpuUs(runs.b).toFixed(0)} µs; peak RSS: paperboy ${mb(peak)}, bare ${mb(barePeak)} (${(peak / barePeak).toFixed(2)}×)`);
  console.log(`  paperboy's first message after ${runs.a.map((r) => `${r.firstMs?.toFixed(0)} ms`).join('/')} (its start: ledger, stored digests)`);
  if (profile) {
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
    cpuUsPerMessage: Math.round(cpuUs(runs.a)),
    firstMessageMs: median(runs.a.map((r) => r.firstMs ?? NaN)),
    bareCpuUsPerMessage: Math.round(cpuUs(runs.b)),
    peakRssMb: peak,
    barePeakRssMb: barePeak,
    targets: [
      { target: 'throughput ≥ 0.9× bare nodemailer', measured: `${ratio.toFixed(2)}× (${fmt(rate)}/s vs ${fmt(bareRate)}/s)`, pass: ratio >= 0.9 },
      { target: 'sender memory ≤ 1.5× bare', measured: `${(peak / barePeak).toFixed(2)}× (RSS ${mb(peak)} vs ${mb(barePeak)})`, pass: peak / barePeak <= 1.5 },
      { target: '100,000 digests < 2 min (extrapolated)', measured: `${(at100k / 60).toFixed(1)} min`, pass: at100k < 120 },
    ],
  });
} finally {
  setup.close();
}
