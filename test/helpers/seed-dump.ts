// Test helper: page dumps of any size built from the real abstracts of seeds/, as a user would drop them in.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeSeed } from '../../src/ingest/decode.ts';
import { parseSeed } from '../../src/ingest/parse.ts';
import { titleKey } from '../../src/paper-ids.ts';
import { SEEDS } from './tmp.ts';

export interface DumpPaper {
  title: string;
  abstract: string;
}

let cache: DumpPaper[] | null = null;

/** The 516 distinct papers of seeds/*.txt (title, abstract), in file order. */
export function realPapers(): DumpPaper[] {
  if (cache) return cache;
  const seen = new Set<string>();
  cache = [];
  for (const f of readdirSync(SEEDS).sort()) {
    for (const p of parseSeed(decodeSeed(readFileSync(join(SEEDS, f)))).papers) {
      if (seen.has(titleKey(p.title))) continue;
      seen.add(titleKey(p.title));
      cache.push({ title: p.title, abstract: p.abstract });
    }
  }
  return cache;
}

/**
 * `n` distinct papers with real abstracts: the seeds' papers, then the same abstracts under new titles
 * (distinct title keys), skipping the first `offset` so two dumps can hold different papers.
 */
export function dumpPapers(n: number, offset = 0): DumpPaper[] {
  const real = realPapers();
  return Array.from({ length: n }, (_, k) => {
    const i = k + offset;
    const base = real[i % real.length]!;
    const round = Math.floor(i / real.length);
    return round === 0 ? base : { title: `${base.title}: Revisited ${round + 1}`, abstract: base.abstract };
  });
}

/** The Daily Papers page as text: the page's header, then a title line and an abstract line per paper. */
export function pageDump(papers: DumpPaper[], date = 'Nov 20'): string {
  const body = papers.map((p) => `${p.title}\n\n${p.abstract}\n`).join('\n');
  return `Daily Papers\n\nby AK and the research community\n\n${date}\n\n${body}`;
}

/** A real-looking abstract that ends without a full stop, as ~2% of arXiv abstracts do. */
export const NO_FULL_STOP_ABSTRACT =
  'Training data for gaze estimation is scarce, and synthetic eye images differ from real ones in texture and lighting. ' +
  'We propose a refiner network trained adversarially on unlabeled real images that keeps the annotation of each synthetic ' +
  'image while making it look real, using a self-regularization term and a local adversarial loss. Our refined images ' +
  'improve gaze estimation on MPIIGaze by a wide margin, compared to the current benchmark method of SimGAN';
