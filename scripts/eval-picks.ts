// Offline evaluation of "Picked for you" (a dev tool, not part of npm test): precision@5 of picks against arXiv categories.
//
//   node --import tsx scripts/eval-picks.ts ../shared/corpus [--split tune|check|holdout] [--editions 10] [--size 500] [--json]
//
// train.jsonl.gz is cut in two by a hash of the paper id: `tune` (three quarters) and `check` (one quarter).
// Readers and their interests always come from `tune` (keywords: the words most typical of a field there; liked
// papers: three tune papers of the field), so neither `check` nor `holdout` figures saw a reader's own papers or
// vocabulary. Editions are drawn from the split named: `tune` while tuning, `check` to see whether a change
// generalizes, `holdout` (never tuned on) only to report. A pick is right when the reader's field is among the
// paper's categories. Then each reader marks the picks of one edition ("more like this" when right, "fewer like
// this" when not) and the next edition is ranked with that feedback; "P@5 same editions" is the no-feedback P@5
// over the editions the feedback column covers (all but the first), so the two compare like for like.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { buildCorpus, rankFor, type Corpus, type MarkedPaper, type RankDoc, type ReaderInterests } from '../src/rank/rank.ts';
import { words } from '../src/rank/tokenize.ts';
// The same seeded generator as the topic trainer: every run draws the same editions and readers.
import { rng } from '../src/topics/train.ts';

interface Row extends RankDoc {
  categories: string[];
  source: string;
}

/** Reader fields: an arXiv category, or a prefix for a family (astro-ph.*). Speech spans two categories. */
const FIELDS: { name: string; match: (c: string) => boolean }[] = [
  { name: 'cs.RO', match: (c) => c === 'cs.RO' },
  { name: 'cs.CV', match: (c) => c === 'cs.CV' },
  { name: 'cs.CL', match: (c) => c === 'cs.CL' },
  { name: 'cs.CR', match: (c) => c === 'cs.CR' },
  { name: 'cs.LG', match: (c) => c === 'cs.LG' },
  { name: 'cs.AI', match: (c) => c === 'cs.AI' },
  { name: 'cs.IR', match: (c) => c === 'cs.IR' },
  { name: 'speech', match: (c) => c === 'cs.SD' || c === 'eess.AS' },
  { name: 'q-bio', match: (c) => c.startsWith('q-bio') },
  { name: 'astro-ph', match: (c) => c.startsWith('astro-ph') },
  { name: 'cond-mat', match: (c) => c.startsWith('cond-mat') },
  { name: 'quant-ph', match: (c) => c === 'quant-ph' },
];

function args() {
  const a = process.argv.slice(2);
  const dir = a.find((x, i) => !x.startsWith('--') && !a[i - 1]?.startsWith('--'));
  const opt = (name: string, def: string) => {
    const i = a.indexOf(`--${name}`);
    return i >= 0 ? a[i + 1]! : def;
  };
  if (!dir) {
    process.stderr.write('usage: eval-picks.ts <corpus dir> [--split tune|check|holdout] [--editions N] [--size N] [--json]\n');
    process.exit(2);
  }
  const split = opt('split', 'holdout');
  if (!['tune', 'check', 'holdout'].includes(split)) {
    process.stderr.write(`unknown split '${split}': tune, check or holdout\n`);
    process.exit(2);
  }
  return { dir, split, editions: Number(opt('editions', '10')), size: Number(opt('size', '500')), json: a.includes('--json') };
}

const load = (path: string): Row[] =>
  gunzipSync(readFileSync(path))
    .toString('utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Row);

/** FNV-1a of the paper id: a fixed quarter of train is `check`, the rest `tune`. */
const isCheck = (id: string) => {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return (h >>> 0) % 4 === 0;
};

const sample = <T>(list: readonly T[], n: number, r: () => number): T[] => {
  const copy = [...list];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy.slice(0, n);
};

/** Words (as written: the commonest spelling of each stem) most typical of a field in train, by smoothed log-odds. */
interface Tokenized {
  row: Row;
  /** Distinct stems with the raw spelling first seen for each. */
  stems: Map<string, string>;
}

function tokenizeAll(rows: Row[]): Tokenized[] {
  return rows.map((row) => {
    const text = `${row.title} ${row.abstract}`;
    const rawWords = text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/\\[a-zA-Z]+/g, ' ').toLowerCase().split(/[^a-z0-9]+/).filter((w) => w !== '');
    const stems = new Map<string, string>();
    // words() keeps one entry per raw word, so the two lists line up.
    words(text).forEach((s, i) => {
      if (s !== null && !stems.has(s) && s.length >= 4 && !/\d/.test(s)) stems.set(s, rawWords[i] ?? s);
    });
    return { row, stems };
  });
}

function typicalWords(train: Tokenized[], field: (c: string) => boolean, top = 15): string[] {
  const inF = new Map<string, number>();
  const all = new Map<string, number>();
  const surface = new Map<string, Map<string, number>>();
  let nIn = 0;
  for (const { row, stems } of train) {
    const mine = field(row.categories[0] ?? '');
    if (mine) nIn++;
    for (const [s, w] of stems) {
      all.set(s, (all.get(s) ?? 0) + 1);
      if (mine) {
        inF.set(s, (inF.get(s) ?? 0) + 1);
        const forms = surface.get(s) ?? new Map<string, number>();
        forms.set(w, (forms.get(w) ?? 0) + 1);
        surface.set(s, forms);
      }
    }
  }
  const n = train.length;
  const scored = [...inF.entries()]
    .filter(([, k]) => k >= Math.max(5, nIn * 0.02))
    .map(([s, k]) => {
      const out = (all.get(s) ?? 0) - k;
      const lo = Math.log((k + 1) / (nIn - k + 1)) - Math.log((out + 1) / (n - nIn - out + 1));
      return { s, score: lo * Math.log(k) };
    })
    .sort((a, b) => b.score - a.score)
    .slice(0, top);
  return scored.map(({ s }) => [...surface.get(s)!.entries()].sort((a, b) => b[1] - a[1])[0]![0]);
}

interface Reader {
  field: (typeof FIELDS)[number];
  kind: 'keywords' | 'liked';
  interests: ReaderInterests;
}

interface EditionSet {
  rows: Row[];
  corpus: Corpus;
  byId: Map<string, Row>;
  ids: string[];
}

function precisionAt5(edition: EditionSet, reader: Reader, interests: ReaderInterests): { p: number; picks: Row[] } {
  const picks = rankFor(edition.corpus, edition.ids, interests, 5).map((p) => edition.byId.get(p.id)!);
  if (picks.length === 0) return { p: 0, picks };
  const right = picks.filter((r) => r.categories.some(reader.field.match)).length;
  return { p: right / 5, picks };
}

function main() {
  const o = args();
  const all = load(join(o.dir, 'train.jsonl.gz'));
  const train = all.filter((row) => !isCheck(row.id));
  const pool = o.split === 'tune' ? train : o.split === 'check' ? all.filter((row) => isCheck(row.id)) : load(join(o.dir, 'holdout.jsonl.gz'));
  const r = rng(20261207);
  const readers: Reader[] = [];
  const tokenized = tokenizeAll(train);
  for (const field of FIELDS) {
    const vocab = typicalWords(tokenized, field.match);
    const own = train.filter((row) => field.match(row.categories[0] ?? ''));
    for (let i = 0; i < 5; i++) readers.push({ field, kind: 'keywords', interests: { keywords: sample(vocab, 3, r), authors: [], liked: [], disliked: [] } });
    for (let i = 0; i < 5; i++) {
      const liked: MarkedPaper[] = sample(own, 3, r).map((row) => ({ ...row, via: 'follow' }));
      readers.push({ field, kind: 'liked', interests: { keywords: [], authors: [], liked, disliked: [] } });
    }
  }
  // Rows a reader liked are kept out of the editions.
  const likedIds = new Set(readers.flatMap((x) => x.interests.liked.map((l) => l.id)));
  const usable = pool.filter((row) => !likedIds.has(row.id));
  const editions: EditionSet[] = Array.from({ length: o.editions }, () => {
    // A mixed day: an equal share of each field by primary category (so every reader's field has enough
    // papers for five right picks), plus papers of fields no reader follows.
    const share = Math.floor(o.size / (FIELDS.length + 1));
    const rows = [
      ...FIELDS.flatMap((f) => sample(usable.filter((x) => f.match(x.categories[0] ?? '')), share, r)),
      ...sample(usable.filter((x) => !FIELDS.some((f) => f.match(x.categories[0] ?? ''))), o.size - share * FIELDS.length, r),
    ];
    return { rows, corpus: buildCorpus(rows), byId: new Map(rows.map((x) => [x.id, x])), ids: rows.map((x) => x.id) };
  });

  const tally = new Map<string, { before: number[]; same: number[]; after: number[] }>();
  const add = (key: string, before: number, after: number | null) => {
    const t = tally.get(key) ?? { before: [], same: [], after: [] };
    t.before.push(before);
    if (after !== null) {
      t.same.push(before);
      t.after.push(after);
    }
    tally.set(key, t);
  };
  for (const reader of readers) {
    let interests = reader.interests;
    for (let e = 0; e < editions.length; e++) {
      const base = precisionAt5(editions[e]!, reader, reader.interests);
      const withFeedback = e === 0 ? null : precisionAt5(editions[e]!, reader, interests);
      add(`${reader.kind}:${reader.field.name}`, base.p, withFeedback?.p ?? null);
      add(`${reader.kind}`, base.p, withFeedback?.p ?? null);
      add('all', base.p, withFeedback?.p ?? null);
      // The reader marks what they were shown (with their feedback so far): right ones "more", wrong ones "fewer".
      const shown = (withFeedback ?? base).picks;
      const more = shown.filter((row) => row.categories.some(reader.field.match)).map((row): MarkedPaper => ({ ...row, via: 'marked' }));
      const fewer = shown.filter((row) => !row.categories.some(reader.field.match));
      interests = { ...interests, liked: [...interests.liked, ...more].slice(-30), disliked: [...interests.disliked, ...fewer].slice(-30) };
    }
  }
  const avg = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
  const order = (k: string) => (k === 'all' ? 0 : k === 'keywords' ? 1 : k === 'liked' ? 2 : 3);
  const rows = [...tally.entries()]
    .sort((a, b) => order(a[0]) - order(b[0]) || a[0].localeCompare(b[0]))
    .map(([key, t]) => ({ key, precision: avg(t.before), sameEditions: avg(t.same), withFeedback: avg(t.after), n: t.before.length }));
  if (o.json) {
    process.stdout.write(`${JSON.stringify({ split: o.split, editions: o.editions, size: o.size, readers: readers.length, rows }, null, 2)}\n`);
    return;
  }
  process.stdout.write(`split ${o.split}: ${o.editions} editions of ${o.size} papers, ${readers.length} readers (${FIELDS.length} fields × 5 keyword + 5 liked-paper readers)\n`);
  process.stdout.write(`${'readers'.padEnd(22)} ${'P@5'.padStart(6)} ${'P@5 same editions'.padStart(18)} ${'P@5 with feedback'.padStart(18)}\n`);
  for (const row of rows) process.stdout.write(`${row.key.padEnd(22)} ${row.precision.toFixed(3).padStart(6)} ${row.sameEditions.toFixed(3).padStart(18)} ${row.withFeedback.toFixed(3).padStart(18)}\n`);
}

main();
