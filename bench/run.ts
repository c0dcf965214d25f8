// `npm run bench [-- --quick]`: every workload beside its baseline, a table with targets, bench/results.json (quick: results-quick.json).
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { machine, quick, type BenchResult } from './lib.ts';

const WORKLOADS = ['ingest', 'classify', 'render', 'picks', 'send', 'feeds', 'cold-start'];
const dir = import.meta.dirname;
const started = new Date();
const m = machine();
const results: BenchResult[] = [];
const failed: string[] = [];
for (const w of WORKLOADS) {
  process.stderr.write(`bench ${w}${quick ? ' (quick)' : ''} …\n`);
  const t = performance.now();
  // --expose-gc: workloads collect between timed phases (lib.ts gc()).
  const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', join(dir, `${w}.ts`), ...(quick ? ['--quick'] : [])], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const line = r.stdout.split('\n').find((l) => l.startsWith('RESULT '));
  if (r.status !== 0 || !line) {
    console.error(`bench ${w} failed:\n${r.stdout}\n${r.stderr}`);
    failed.push(w);
    continue;
  }
  process.stderr.write(r.stdout.split('\n').filter((l) => l && !l.startsWith('RESULT ')).map((l) => `  ${l}\n`).join(''));
  process.stderr.write(`  (${((performance.now() - t) / 1000).toFixed(0)} s)\n`);
  results.push(JSON.parse(line.slice(7)) as BenchResult);
}

const ratio = (r: BenchResult) => `${r.ratio.toFixed(2)}× ${r.ratioOf}`;
const rows = results.flatMap((r) =>
  r.targets.map((t, i) =>
    i === 0
      ? `| ${r.workload} | ${r.size} | ${r.ms.toFixed(0)} ms | ${r.baselineMs.toFixed(0)} ms | ${ratio(r)} | ${t.target} | ${t.measured} | ${t.pass ? 'pass' : '**MISS**'} |`
      : `| | | | | | ${t.target} | ${t.measured} | ${t.pass ? 'pass' : '**MISS**'} |`,
  ),
);
const table = [
  `Machine: ${m.cores} cores, ${m.cpu}, Node ${m.node}, ${m.platform}; load average ${m.loadavg.join(' ')} at start; ${quick ? 'quick' : 'full'} run, ${started.toISOString().slice(0, 10)}`,
  '',
  '| workload | size | paperboy | baseline | ratio (paperboy/bare) | target | measured | met |',
  '|---|---|---|---|---|---|---|---|',
  ...rows,
].join('\n');
console.log(table);
const misses = results.flatMap((r) => r.targets.filter((t) => !t.pass).map((t) => `${r.workload}: ${t.target} — measured ${t.measured}`));
if (misses.length) console.log(`\nMissed:\n${misses.map((x) => `- ${x}`).join('\n')}`);
if (failed.length) console.log(`\nFailed to run: ${failed.join(', ')}`);
const out = join(dir, quick ? 'results-quick.json' : 'results.json');
writeFileSync(out, JSON.stringify({ machine: m, quick, started: started.toISOString(), results, failed, table }, null, 2) + '\n');
process.stderr.write(`wrote ${out}\n`);
if (failed.length) process.exitCode = 1;
