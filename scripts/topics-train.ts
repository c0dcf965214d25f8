// `npm run topics:train [-- corpus.jsonl.gz [out.json]]`: rebuilds the learned field model from a corpus of arXiv papers.
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { formatModel, train, type CorpusRow } from '../src/topics/train.ts';

const ROOT = join(import.meta.dirname, '..');
const corpus = process.argv[2] ?? join(ROOT, '..', 'shared', 'corpus', 'train.jsonl.gz');
const out = process.argv[3] ?? join(ROOT, 'src', 'topics', 'model', 'fields.json');

let raw: Buffer;
try {
  raw = readFileSync(corpus);
} catch (err) {
  console.error(`cannot read ${corpus} (${(err as NodeJS.ErrnoException).code}): give the corpus as the first argument (see README, "Topics")`);
  process.exit(2);
}
const text = (corpus.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
const rows: CorpusRow[] = text
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l) as CorpusRow)
  .filter((r) => r.title && r.abstract && Array.isArray(r.categories) && r.categories.length > 0);
const started = Date.now();
const model = train(rows, undefined, undefined, (line) => console.error(line));
writeFileSync(out, formatModel(model, `${basename(corpus)}, ${rows.length} papers`));
console.error(`wrote ${relative(process.cwd(), out)} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
