// Bench: cold starts of the compiled paperboy (--help, a run with nothing new, two listings) against a bare `node -e 0`, interleaved.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { sourceStamp } from '../bin/source-stamp.js';
import { tmpProject } from '../test/helpers/tmp.ts';
import { check, ensureBuilt, mb, median, quick, report, runNode } from './lib.ts';

const ROOT = join(import.meta.dirname, '..');
const REPS = quick ? 5 : 11;

ensureBuilt();

const proj = tmpProject({ copySeeds: true });
const opts = { cwd: ROOT, env: { ...process.env, ...proj.env } };
const bin = (...args: string[]) => () => runNode(['bin/paperboy.js', ...args], opts);
check(bin('run', '--no-send')().status === 0, 'the first `paperboy run` failed'); // the first run does the work

const cases = {
  bare: () => runNode(['-e', '0'], opts),
  help: bin('--help'),
  run: bin('run', '--no-send'),
  subscribers: bin('subscribers', 'list'),
  papers: bin('papers', '--limit', '5'),
};
type Case = keyof typeof cases;
const names = Object.keys(cases) as Case[];
const runs = Object.fromEntries(names.map((n) => [n, [] as ReturnType<typeof runNode>[]])) as Record<Case, ReturnType<typeof runNode>[]>;
// Each round starts at another case (a rotation), so drift in machine load falls on every case alike.
for (let rep = 0; rep < REPS; rep++) {
  for (let i = 0; i < names.length; i++) {
    const n = names[(rep + i) % names.length]!;
    runs[n].push(cases[n]());
  }
}
for (const n of names) for (const r of runs[n]) check(r.status === 0, `${n} failed: ${r.stderr.slice(0, 300)}`);
for (const r of runs.run) check(r.stdout.includes('already built earlier'), `a repeated run did work: ${r.stdout.slice(0, 300)}`);
check(runs.help.every((r) => r.stdout.includes('Usage: paperboy')), '--help printed no usage');

const ms = Object.fromEntries(names.map((n) => [n, median(runs[n].map((r) => r.ms))])) as Record<Case, number>;
const ratio = (n: Case) => ms[n] / ms.bare;
const peak = (n: Case) => {
  const rss = runs[n].map((r) => r.rssMb);
  return rss.includes(null) ? null : Math.max(...(rss as number[]));
};

// What bin/paperboy.js pays to know dist/ is current, at every start: the median of in-process stamps.
const stampMs = median(
  Array.from({ length: 21 }, () => {
    const t = performance.now();
    sourceStamp(ROOT);
    return performance.now() - t;
  }),
);
rmSync(proj.dir, { recursive: true, force: true });

const line = (n: Case) => `${ms[n].toFixed(0)} ms (${ratio(n).toFixed(2)}×)`;
console.log(
  `cold start, medians of ${REPS}: bare node ${ms.bare.toFixed(0)} ms; --help ${line('help')}; run (nothing new) ${line('run')}; ` +
    `subscribers list ${line('subscribers')}; papers ${line('papers')}; peak RSS of run ${mb(peak('run'))} (bare ${mb(peak('bare'))}); source stamp check ${stampMs.toFixed(1)} ms`,
);
report({
  workload: 'cold-start',
  size: 'run, nothing new (compiled)',
  ms: ms.run,
  baselineMs: ms.bare,
  ratio: ratio('run'),
  ratioOf: 'time',
  helpMs: ms.help,
  subscribersListMs: ms.subscribers,
  papersMs: ms.papers,
  stampMs,
  peakRssMb: peak('run'),
  bareRssMb: peak('bare'),
  targets: [
    { target: '`paperboy --help` ≤ 3× bare node', measured: `${ratio('help').toFixed(2)}× (${ms.help.toFixed(0)} ms)`, pass: ratio('help') <= 3 },
    { target: '`paperboy run`, nothing new ≤ 5× bare node', measured: `${ratio('run').toFixed(2)}× (${ms.run.toFixed(0)} ms)`, pass: ratio('run') <= 5 },
    { target: 'peak RSS of that run ≤ 256 MB (ours)', measured: `${mb(peak('run'))} (bare node ${mb(peak('bare'))})`, pass: (peak('run') ?? Infinity) <= 256 },
    {
      // `papers` has no target: it classifies each listed paper by the current topics.yaml, so it compiles that file.
      target: '`subscribers list` ≤ 5× (ours)',
      measured: `${ratio('subscribers').toFixed(2)}×; \`papers\` ${ratio('papers').toFixed(2)}× (compiles topics.yaml); stamp check ${stampMs.toFixed(1)} ms a start`,
      pass: ratio('subscribers') <= 5,
    },
  ],
});
