// `npm run bench [-- --quick]`: every workload beside its baseline, a table, and bench/results.json.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { machine, quick, type BenchResult } from './lib.ts';

const WORKLOADS = ['ingest', 'classify', 'render', 'send', 'feeds', 'cold-start'];
const dir = import.meta.dirname;
const results: BenchResult[] = [];
for (const w of WORKLOADS) {
  process.stderr.write(`bench ${w}${quick ? ' (quick)' : ''} …\n`);
  const env = { ...process.env, ...(quick ? { BENCH_QUICK: '1', BENCH_SUBSCRIBERS: '20000' } : {}) };
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(dir, `${w}.ts`), ...(quick ? ['--quick'] : [])], { env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const line = r.stdout.split('\n').find((l) => l.startsWith('RESULT '));
  if (r.status !== 0 || !line) {
    console.error(`bench ${w} failed:\n${r.stdout}\n${r.stderr}`);
    process.exitCode = 1;
    continue;
  }
  process.stderr.write(r.stdout.split('\n').filter((l) => l && !l.startsWith('RESULT ')).map((l) => `  ${l}\n`).join(''));
  results.push(JSON.parse(line.slice(7)) as BenchResult);
}
const m = machine();
const row = (r: BenchResult) => {
  const size = r.papers ?? r.subscribers ?? r.digests ?? '';
  const extra = r.workload === 'send' ? `throughput ${(r.throughputRatio as number).toFixed(2)}× bare, ${r.perSecond}/s, RSS ${r.peakRssMb} MB` : r.peakRssMb ? `peak RSS ${r.peakRssMb} MB` : r.papersPerSecond ? `${r.papersPerSecond} papers/s` : '';
  return `| ${r.workload} | ${size} | ${r.ms.toFixed(0)} ms | ${r.baselineMs.toFixed(0)} ms | ${r.ratio.toFixed(2)}× | ${extra} |`;
};
const table = [`Machine: ${m.cores} cores, ${m.cpu}, Node ${m.node}${quick ? ' (quick run)' : ''}`, '', '| workload | size | paperboy | baseline | ratio | notes |', '|---|---|---|---|---|---|', ...results.map(row)].join('\n');
console.log(table);
writeFileSync(join(dir, 'results.json'), JSON.stringify({ machine: m, quick, results }, null, 2) + '\n');
