// `node --import tsx scripts/topics-score.ts corpus.jsonl.gz [--validation] [--full-lists] [--spread] [--wrong]`: topic-eval's figures, in-process.
// The same category → topic mapping as ../shared/tools/topic-eval.py (which stays the reference: run it for
// reported figures); this is the quick loop for the validation split of the training corpus. --full-lists keeps
// only rows whose source lists every category (not the primary-only archive, see ../shared/corpus/README.md):
// there a cross-listed paper is labelled as such, so precision there is the honest figure. --wrong counts, per
// field, the topics that took its false positives and the primary categories those papers were filed under.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { classify } from '../src/topics/classify.ts';
import { loadTopics } from '../src/topics/load.ts';
import { DEFAULTS, isValidation } from '../src/topics/train.ts';

const PAT: Record<string, RegExp> = {
  'cs.CV': /vision|image|video|visual|3d|segment|detect/,
  'cs.CL': /language|nlp|text|llm|linguist/,
  'cs.CR': /secur|privacy|adversar|attack/,
  'cs.RO': /robot|embodied/,
  speech: /speech|audio/,
};
const CS = /^(cs\.|stat\.ML|eess\.)/;
const file = process.argv[2]!;
const raw = readFileSync(file);
let rows = (file.endsWith('.gz') ? gunzipSync(raw) : raw)
  .toString('utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l) as { title: string; abstract: string; categories: string[]; source?: string });
if (process.argv.includes('--validation')) rows = rows.filter((r) => isValidation(r.title, DEFAULTS.validationPercent));
/** Sources that list only a paper's primary category. */
const PRIMARY_ONLY = ['qhduan/cn-chat-arxiv:'];
if (process.argv.includes('--full-lists')) rows = rows.filter((r) => !PRIMARY_ONLY.some((s) => r.source?.startsWith(s)));
const withCategories = process.argv.includes('--categories');
const topics = loadTopics(join(import.meta.dirname, '..', 'topics.yaml'));
const stats = Object.fromEntries(Object.keys(PAT).map((c) => [c, { tp: 0, fp: 0, fn: 0 }]));
let cs = 0;
let unplaced = 0;
let other = 0;
const started = performance.now();
const counts = new Map<string, number>();
/** Field → "topic" and "filed under <primary>" → count, for its false positives. */
const wrong = new Map<string, Map<string, number>>();
const bump = (k: string, what: string) => {
  const m = wrong.get(k) ?? new Map<string, number>();
  m.set(what, (m.get(what) ?? 0) + 1);
  wrong.set(k, m);
};
for (const r of rows) {
  const c = classify({ title: r.title.split(/\s+/).join(' '), abstract: r.abstract.split(/\s+/).join(' '), categories: withCategories ? r.categories : undefined }, topics);
  // `papers --json` lists slugs, and topic-eval.py matches a plain slug against its patterns (not the name).
  const names = c.topics.map((t) => t.slug);
  counts.set(c.primary, (counts.get(c.primary) ?? 0) + 1);
  const cats = new Set(r.categories);
  if (cats.has('cs.SD') || cats.has('eess.AS')) cats.add('speech');
  if (r.categories.some((x) => CS.test(x))) {
    cs++;
    if (names.length === 0) unplaced++;
  } else if (names.length === 0) other++;
  for (const [k, re] of Object.entries(PAT)) {
    const hit = names.some((n) => re.test(n));
    const s = stats[k]!;
    if (hit && cats.has(k)) s.tp++;
    else if (hit) {
      s.fp++;
      for (const n of names) if (re.test(n)) bump(k, n);
      bump(k, `filed under ${r.categories[0]}`);
    }
    else if (cats.has(k)) s.fn++;
  }
}
const ms = performance.now() - started;
console.log(`${rows.length} papers in ${ms.toFixed(0)} ms; unplaced ${((100 * unplaced) / cs).toFixed(1)}% of ${cs} CS/ML; non-CS in Other ${((100 * other) / Math.max(1, rows.length - cs)).toFixed(1)}% of ${rows.length - cs}`);
for (const [k, s] of Object.entries(stats)) {
  const n = s.tp + s.fn;
  if (n < 20) continue;
  console.log(`${k.padEnd(7)} n=${String(n).padStart(5)}  precision ${(s.tp / Math.max(1, s.tp + s.fp)).toFixed(2)}  recall ${(s.tp / n).toFixed(2)}`);
}
if (process.argv.includes('--spread')) console.log([...counts].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${((100 * v) / rows.length).toFixed(1)}%`).join(', '));
if (process.argv.includes('--wrong'))
  for (const [k, m] of wrong) console.log(`${k} false positives: ${[...m].sort((a, b) => b[1] - a[1]).slice(0, 14).map(([w, n]) => `${w} ${n}`).join(', ')}`);
