// Bench: classify 100,000 papers (--quick 20,000; recombined seed titles and abstracts) on one core, against a bare tokenize pass; the learned model's load time and memory.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Classification } from '../src/domain.ts';
import { decodeSeed } from '../src/ingest/decode.ts';
import { parseSeed } from '../src/ingest/parse.ts';
import { classify } from '../src/topics/classify.ts';
import { loadTopics } from '../src/topics/load.ts';
import { loadFieldModel } from '../src/topics/model.ts';
import { compileTopics } from '../src/topics/rules.ts';
import { alternate, check, fmt, median, quick, report } from './lib.ts';

const ROOT = join(import.meta.dirname, '..');
const N = quick ? 20_000 : 100_000;
const REPS = 3;
type P = { title: string; abstract: string };

/**
 * Real titles and abstracts recombined: every third title gets a name of its own (new papers bring new
 * words, stemmed once), each abstract is the first half of one seed abstract and the second half of another.
 * Papers i and i + 3k (k seeds, i not a multiple of 3) come out identical: the duplicate check uses them.
 */
function recombinedPapers(n: number): { papers: P[]; k: number } {
  const seeds = readdirSync(join(ROOT, 'seeds')).filter((f) => !f.startsWith('.')).sort().flatMap((f) => parseSeed(decodeSeed(readFileSync(join(ROOT, 'seeds', f)))).papers);
  const halves = seeds.map((p) => {
    const s = p.abstract.split(/(?<=\.)\s+/);
    const mid = Math.ceil(s.length / 2);
    return [s.slice(0, mid).join(' '), s.slice(mid).join(' ')] as const;
  });
  const k = seeds.length;
  const papers = Array.from({ length: n }, (_, i) => ({
    title: `${i % 3 === 0 ? `Zq${i.toString(36)}: ` : ''}${seeds[i % k]!.title}`,
    abstract: `${halves[(i * 7 + 3) % k]![0]} ${halves[(i * 13 + 5) % k]![1]}`,
  }));
  return { papers, k };
}

/** Each measurement compiles its own topics, so every run starts with a cold word memo. */
function run(papers: P[], topics = loadTopics(join(ROOT, 'topics.yaml'))): { ms: number; out: Classification[] } {
  const t = performance.now();
  const out = papers.map((p) => classify(p, topics));
  return { ms: performance.now() - t, out };
}

const { papers, k } = recombinedPapers(N);
const half = papers.slice(0, N / 2);
// Baseline: the least any classifier must do — lowercase and split every paper into words.
const bare = () => {
  const t = performance.now();
  let words = 0;
  for (const p of papers) words += `${p.title} ${p.abstract}`.toLowerCase().split(/[^a-z0-9]+/).length;
  check(words > N, 'bare tokenize found no words');
  return performance.now() - t;
};
// Full size against the baseline, and full against half size for linearity, each alternating.
const full = await alternate(REPS, () => run(papers), bare);
const halved = await alternate(REPS, () => run(papers).ms, () => run(half).ms);
const ms = median(full.a.map((r) => r.ms));
const baselineMs = median(full.b);
const linearity = median(halved.a) / N / (median(halved.b) / (N / 2));
const text = readFileSync(join(ROOT, 'topics.yaml'), 'utf8');
// The copies get slugs of their own and no former slugs (a former slug names one topic only).
const copies = text.replace(/^topics:\n/m, '').replace(/slug: (\S+)/g, 'slug: $1-2').replace(/^\s*formerly:.*\n/gm, '');
const doubled = compileTopics(`${text}\n${copies}`, 'topics.yaml', { model: () => loadFieldModel() });
const rulesScaling = run(papers, doubled).ms / ms;

// Self-checks: identical papers get identical classifications, and the papers spread over the topics.
const out = full.a[0]!.out;
let pairs = 0;
for (let i = 1; i + 3 * k < N && pairs < 2000; i += 3) {
  if (papers[i]!.title !== papers[i + 3 * k]!.title || papers[i]!.abstract !== papers[i + 3 * k]!.abstract) continue;
  check(JSON.stringify(out[i]) === JSON.stringify(out[i + 3 * k]), `paper ${i} and its duplicate ${i + 3 * k} classified differently`);
  pairs++;
}
check(pairs >= 100, `only ${pairs} duplicate pairs checked`);
const byTopic = new Map<string, number>();
for (const c of out) byTopic.set(c.primary, (byTopic.get(c.primary) ?? 0) + 1);
const topicCount = loadTopics(join(ROOT, 'topics.yaml')).topics.length;
const largest = Math.max(...byTopic.values());
const other = byTopic.get('other') ?? 0;
check(largest / N < 0.5, `one topic has ${largest} of ${N} papers`);
check(byTopic.size >= topicCount / 2, `papers fall in only ${byTopic.size} of ${topicCount} topics`);
check(other / N < 0.3, `${other} of ${N} papers in "other"`);
check(JSON.stringify(full.a[1]!.out) === JSON.stringify(out), 'two runs classified differently');

// The model's cost to a cold run: a fresh process reads and indexes it; time and memory around that alone.
const probe = `const m = await import(${JSON.stringify(join(ROOT, 'src/topics/model.ts'))}); const r0 = process.memoryUsage().rss; const t = performance.now(); const f = m.loadFieldModel(); const ms = performance.now() - t; f.scores({ title: 'x', abstract: 'y' }); console.log(JSON.stringify({ ms, mb: (process.memoryUsage().rss - r0) / 1048576 }));`;
const loads = Array.from({ length: 3 }, () => JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', probe], { cwd: ROOT, encoding: 'utf8' })) as { ms: number; mb: number });
const modelMs = median(loads.map((l) => l.ms));
const modelMb = median(loads.map((l) => l.mb));

const at100k = quick ? (ms * 100_000) / N : ms;
console.log(
  `classify: ${fmt(N)} papers median ${ms.toFixed(0)} ms of ${full.a.map((r) => r.ms.toFixed(0)).join('/')} (${fmt((N / ms) * 1000)}/s, one core); bare tokenize ${baselineMs.toFixed(0)} ms; ` +
    `${byTopic.size} primary topics, largest ${((largest / N) * 100).toFixed(0)}%, "other" ${((other / N) * 100).toFixed(1)}%; ${pairs} duplicate pairs identical; per-paper time full/half ${linearity.toFixed(2)}; twice the rules ${rulesScaling.toFixed(2)}× the time; model load ${modelMs.toFixed(0)} ms, +${modelMb.toFixed(1)} MB`,
);
report({
  workload: 'classify',
  size: `${fmt(N)} papers`,
  ms,
  baselineMs,
  ratio: ms / baselineMs,
  ratioOf: 'time',
  papers: N,
  papersPerSecond: Math.round((N / ms) * 1000),
  other,
  primaryTopics: byTopic.size,
  linearity: Math.round(linearity * 100) / 100,
  rulesScaling: Math.round(rulesScaling * 100) / 100,
  modelLoadMs: Math.round(modelMs),
  modelMb: Math.round(modelMb * 10) / 10,
  targets: [
    { target: 'learned model: < 300 ms to load', measured: `${modelMs.toFixed(0)} ms`, pass: modelMs < 300 },
    { target: 'learned model: < 50 MB of memory', measured: `${modelMb.toFixed(1)} MB`, pass: modelMb < 50 },
    { target: '100,000 papers < 5 s, one core', measured: `${(at100k / 1000).toFixed(2)} s${quick ? ' (extrapolated)' : ''}, ${fmt((N / ms) * 1000)}/s`, pass: at100k < 5000 },
    { target: 'linear: per-paper time full/half ≤ 1.2', measured: linearity.toFixed(2), pass: linearity <= 1.2 },
  ],
});
