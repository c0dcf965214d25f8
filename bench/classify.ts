// Bench: classify 100,000 papers (recombined seed titles and abstracts) on one core, against a bare tokenize pass.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { decodeSeed } from '../src/ingest/decode.ts';
import { parseSeed } from '../src/ingest/parse.ts';
import { classify } from '../src/topics/classify.ts';
import { loadTopics } from '../src/topics/load.ts';
import { compileTopics } from '../src/topics/rules.ts';

const ROOT = join(import.meta.dirname, '..');

export interface ClassifyResult {
  papers: number;
  ms: number;
  baselineMs: number;
  papersPerSecond: number;
  ratio: number;
  other: number;
  /** Time per paper at full size over time per paper at half size: about 1 when classification is linear. */
  linearity: number;
  /** Time with every topic listed twice (twice the rules) over time with the file as it is. */
  rulesScaling: number;
}

/**
 * Recombines real titles and abstracts so the workload looks like papers, not lorem ipsum: a seed title
 * with a name of its own (new papers bring new words, which the classifier has to stem once), and an
 * abstract made of the first half of one seed abstract and the second half of another.
 */
export function recombinedPapers(n: number): { title: string; abstract: string }[] {
  const seeds = readdirSync(join(ROOT, 'seeds'))
    .filter((f) => !f.startsWith('.'))
    .sort()
    .flatMap((f) => parseSeed(decodeSeed(readFileSync(join(ROOT, 'seeds', f)))).papers);
  const halves = seeds.map((p) => {
    const sentences = p.abstract.split(/(?<=\.)\s+/);
    const mid = Math.ceil(sentences.length / 2);
    return [sentences.slice(0, mid).join(' '), sentences.slice(mid).join(' ')] as const;
  });
  const k = seeds.length;
  return Array.from({ length: n }, (_, i) => ({
    title: `${i % 3 === 0 ? `Zq${i.toString(36)}: ` : ''}${seeds[i % k]!.title}`,
    abstract: `${halves[(i * 7 + 3) % k]![0]} ${halves[(i * 13 + 5) % k]![1]}`,
  }));
}

function timeClassify(papers: { title: string; abstract: string }[], topics = loadTopics(join(ROOT, 'topics.yaml'))): { ms: number; other: number } {
  const t = performance.now();
  let other = 0;
  for (const p of papers) if (classify(p, topics).primary === 'other') other++;
  return { ms: performance.now() - t, other };
}

export function benchClassify(n: number): ClassifyResult {
  const papers = recombinedPapers(n);
  // Baseline: the least any classifier must do — lowercase and split every paper into words.
  let t = performance.now();
  let words = 0;
  for (const p of papers) words += `${p.title} ${p.abstract}`.toLowerCase().split(/[^a-z0-9]+/).length;
  const baselineMs = performance.now() - t;
  // Each measurement compiles its own topics, so every run starts with a cold word memo.
  const { ms, other } = timeClassify(papers);
  const half = timeClassify(papers.slice(0, Math.floor(n / 2)));
  const text = readFileSync(join(ROOT, 'topics.yaml'), 'utf8');
  const doubled = compileTopics(text.replace(/^topics:\n/m, '').replace(/slug: (\S+)/g, 'slug: $1-2').replace(/^/, `${text}\n`), 'topics.yaml');
  const twice = timeClassify(papers, doubled);
  if (words === 0 || other === n) throw new Error('classify bench: workload did not classify anything');
  return {
    papers: n,
    ms,
    baselineMs,
    papersPerSecond: Math.round((n / ms) * 1000),
    ratio: ms / baselineMs,
    other,
    linearity: Math.round((ms / n / (half.ms / Math.floor(n / 2))) * 100) / 100,
    rulesScaling: Math.round((twice.ms / ms) * 100) / 100,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { quick, report } = await import('./lib.ts');
  const r = benchClassify(quick ? 20_000 : 100_000);
  console.log(
    `classify: ${r.papers} papers in ${r.ms.toFixed(0)} ms (${r.papersPerSecond}/s, one core); bare tokenize ${r.baselineMs.toFixed(0)} ms; ` +
      `${r.other} in "other"; per-paper time at full/half size ${r.linearity}; twice the rules ${r.rulesScaling}× the time`,
  );
  report({ workload: 'classify', ...r, target: '100,000 papers < 5 s' });
}
