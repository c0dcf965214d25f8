// Bench: `paperboy run` with nothing new to do (wall time, peak memory) vs a bare `node -e ""` start.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { report } from './lib.ts';
import { tmpProject } from '../test/helpers/tmp.ts';

const ROOT = join(import.meta.dirname, '..');
const proj = tmpProject({ copySeeds: true });
const env = { ...process.env, ...proj.env };
// /usr/bin/time -f reports the child's peak RSS; fall back to wall time only when it is missing.
const timed = (args: string[]) => {
  const t = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', 'MAXRSS %M', ...args], { cwd: ROOT, env, encoding: 'utf8' });
  const ms = performance.now() - t;
  if (r.status !== 0) throw new Error(`cold-start bench: ${args.join(' ')} failed: ${r.stderr}`);
  return { ms, rssMb: Number(/MAXRSS (\d+)/.exec(r.stderr)?.[1] ?? 0) / 1024, out: r.stdout };
};
timed([process.execPath, 'bin/paperboy.js', 'run', '--no-send']); // the first run does the work
const runs = [1, 2, 3].map(() => timed([process.execPath, 'bin/paperboy.js', 'run', '--no-send']));
if (!runs[0]!.out.includes('already built earlier')) throw new Error('cold-start bench: the second run did work');
const bare = [1, 2, 3].map(() => timed([process.execPath, '-e', '']));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[1]!;
const ms = median(runs.map((r) => r.ms));
const baselineMs = median(bare.map((r) => r.ms));
const rssMb = Math.max(...runs.map((r) => r.rssMb));
console.log(`cold start: paperboy run (nothing new) ${ms.toFixed(0)} ms, peak RSS ${rssMb.toFixed(0)} MB; bare node start ${baselineMs.toFixed(0)} ms`);
report({ workload: 'cold-start', ms, baselineMs, ratio: ms / baselineMs, peakRssMb: Math.round(rssMb) });
