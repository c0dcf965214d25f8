// Bench: classify 100,000 papers (recombined seed titles and abstracts) on one core, against a bare tokenize pass.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { decodeSeed } from '../src/ingest/decode.ts';
import { parseSeed } from '../src/ingest/parse.ts';
import { classify } from '../src/topics/classify.ts';
import { loadTopics } from '../src/topics/load.ts';

const ROOT = join(import.meta.dirname, '..');

export interface ClassifyResult {
  papers: number;
  ms: number;
  baselineMs: number;
  papersPerSecond: number;
  ratio: number;
  other: number;
}

/** Recombines real titles and abstracts so the workload looks like papers, not lorem ipsum. */
export function recombinedPapers(n: number): { title: string; abstract: string }[] {
  const seeds = readdirSync(join(ROOT, 'seeds')).flatMap((f) => parseSeed(decodeSeed(readFileSync(join(ROOT, 'seeds', f)))).papers);
  return Array.from({ length: n }, (_, i) => ({ title: seeds[i % seeds.length]!.title, abstract: seeds[(i * 7 + 3) % seeds.length]!.abstract }));
}

export function benchClassify(n: number): ClassifyResult {
  const topics = loadTopics(join(ROOT, 'topics.yaml'));
  const papers = recombinedPapers(n);
  // Baseline: the least any classifier must do — lowercase and split every paper into words.
  let t = performance.now();
  let words = 0;
  for (const p of papers) words += `${p.title} ${p.abstract}`.toLowerCase().split(/[^a-z0-9]+/).length;
  const baselineMs = performance.now() - t;
  t = performance.now();
  let other = 0;
  for (const p of papers) if (classify(p, topics).primary === 'other') other++;
  const ms = performance.now() - t;
  if (words === 0 || other === n) throw new Error('classify bench: workload did not classify anything');
  return { papers: n, ms, baselineMs, papersPerSecond: Math.round((n / ms) * 1000), ratio: ms / baselineMs, other };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { quick, report } = await import('./lib.ts');
  const r = benchClassify(quick ? 20_000 : 100_000);
  console.log(`classify: ${r.papers} papers in ${r.ms.toFixed(0)} ms (${r.papersPerSecond}/s, one core); bare tokenize ${r.baselineMs.toFixed(0)} ms; ${r.other} in "other"`);
  report({ workload: 'classify', ...r, target: '100,000 papers < 5 s' });
}
