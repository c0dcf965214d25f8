// Bench: `paperboy run` with nothing new to do (wall time, peak memory) vs a bare `node -e ""` start, alternating.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpProject } from '../test/helpers/tmp.ts';
import { alternate, check, mb, median, quick, report, runNode } from './lib.ts';

const ROOT = join(import.meta.dirname, '..');
const REPS = quick ? 3 : 5;
const proj = tmpProject({ copySeeds: true });
const opts = { cwd: ROOT, env: { ...process.env, ...proj.env } };
const run = () => runNode(['bin/paperboy.js', 'run', '--no-send'], opts);
check(run().status === 0, 'the first `paperboy run` failed'); // the first run does the work
const runs = await alternate(REPS, run, () => runNode(['-e', ''], opts));
for (const r of runs.a) check(r.status === 0 && r.stdout.includes('already built earlier'), `a repeated run failed or did work: ${r.stdout.slice(0, 300)}${r.stderr.slice(0, 300)}`);
const ms = median(runs.a.map((r) => r.ms));
const baselineMs = median(runs.b.map((r) => r.ms));
const rss = runs.a.map((r) => r.rssMb);
const rssMb = rss.includes(null) ? null : Math.max(...(rss as number[]));
const bareRss = runs.b[0]!.rssMb;
rmSync(proj.dir, { recursive: true, force: true });
console.log(`cold start: paperboy run (nothing new) median ${ms.toFixed(0)} ms of ${runs.a.map((r) => r.ms.toFixed(0)).join('/')}, peak RSS ${mb(rssMb)}; bare node start ${baselineMs.toFixed(0)} ms, ${mb(bareRss)}`);
report({
  workload: 'cold-start',
  size: 'nothing new',
  ms,
  baselineMs,
  ratio: ms / baselineMs,
  ratioOf: 'time',
  peakRssMb: rssMb,
  bareRssMb: bareRss,
  // The issue asks for the figures, not a limit; ours: a cron job that finds nothing to do is done within 2 s and 256 MB.
  targets: [
    { target: 'wall time ≤ 2 s (ours)', measured: `${(ms / 1000).toFixed(2)} s (bare node ${baselineMs.toFixed(0)} ms)`, pass: ms <= 2000 },
    { target: 'peak RSS ≤ 256 MB (ours)', measured: `${mb(rssMb)} (bare node ${mb(bareRss)})`, pass: rssMb !== null && rssMb <= 256 },
  ],
});
