// Send A/B: one project built once, then paperboy and bare sides alternated (ABBA), each side's CPU µs per message,
// wall rate and peak RSS printed. Not part of npm run bench: for measuring one change at a time on a shared machine.
// Usage: BENCH_DIGESTS=5000 node --import tsx bench/send-ab.ts [reps] [--overhead] [--profile]; env PB_AB_* is passed to the paperboy side without the prefix.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { alternate, mb, median } from './lib.ts';
import { sendSetup, type SideResult } from './send-setup.ts';

const N = Number(process.env.BENCH_DIGESTS ?? 5000);
const reps = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 3);
const extra = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('PB_AB_')).map(([k, v]) => [k.slice(6), v!]));
const setup = await sendSetup(N);
try {
  if (process.argv.includes('--overhead')) {
    // paperboy's own CPU per message (everything but SMTP), repeated: the steadiest A/B of a change to the send loop.
    const xs: SideResult[] = [];
    for (const env of setup.copies(reps)) xs.push(await setup.side('overhead', env, N, extra));
    console.log(`${N} digests, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    console.log(`overhead: CPU ${xs.map((r) => ((r.cpuMs * 1000) / N).toFixed(1)).join("/")} µs/msg (median ${median(xs.map((r) => (r.cpuMs * 1000) / N)).toFixed(1)}), wall ${xs.map((r) => ((r.ms * 1000) / N).toFixed(1)).join("/")} µs/msg, first message after ${xs.map((r) => `${r.firstMs?.toFixed(0)} ms (CPU ${r.firstCpuMs?.toFixed(0)})`).join('/')}, RSS ${xs.map((r) => mb(r.rssMb)).join("/")}`);
    if (process.argv.includes('--profile')) {
      const file = join(tmpdir(), `paperboy-send-overhead-${process.pid}.cpuprofile`);
      await setup.side('overhead', setup.copies(1)[0]!, N, { ...extra, BENCH_PROFILE: file });
      console.log(`profile: ${file}`);
    }
  } else {
    const envs = setup.copies(reps + 1);
    await setup.side('bare', {}, Math.min(500, N));
    const runs = await alternate(reps, () => setup.side('paperboy', envs.shift()!, N, extra), () => setup.side('bare', {}, N));
    const line = (name: string, xs: SideResult[]) =>
      `${name}: CPU ${xs.map((r) => ((r.cpuMs * 1000) / N).toFixed(0)).join('/')} µs/msg (median ${median(xs.map((r) => (r.cpuMs * 1000) / N)).toFixed(0)}), ` +
      `${xs.map((r) => Math.round(r.perSecond)).join('/')}/s, first message after ${xs.map((r) => r.firstMs?.toFixed(0)).join('/')} ms, RSS ${xs.map((r) => mb(r.rssMb)).join('/')}`;
    console.log(`${N} digests, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    console.log(line('paperboy', runs.a));
    console.log(line('bare    ', runs.b));
    console.log(`ratio ${(median(runs.a.map((r) => r.perSecond)) / median(runs.b.map((r) => r.perSecond))).toFixed(2)}×, RSS ${(Math.max(...runs.a.map((r) => r.rssMb!)) / Math.max(...runs.b.map((r) => r.rssMb!))).toFixed(2)}×`);
    if (process.argv.includes('--profile')) {
      const file = (who: string) => join(tmpdir(), `paperboy-send-ab-${process.pid}-${who}.cpuprofile`);
      await setup.side('paperboy', envs.shift()!, N, { ...extra, BENCH_PROFILE: file('paperboy') });
      await setup.side('bare', {}, N, { BENCH_PROFILE: file('bare') });
      console.log(`profiles: ${file('paperboy')} ${file('bare')}`);
    }
  }
} finally {
  setup.close();
}
