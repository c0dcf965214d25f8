// Trains the field model: per arXiv field, a logistic regression over terms, pruned and written as a reviewable table.
import { lengthScale, paperTerms } from './terms.ts';

export interface CorpusRow {
  title: string;
  abstract: string;
  categories: string[];
}

/** A field the model predicts: a name and the arXiv categories (or prefixes ending in ".") that make a paper one. */
export interface FieldSpec {
  name: string;
  categories: string[];
  /**
   * How its threshold is set on the validation papers: best F1 (the default); `recall`, best F2, for fields
   * whose readers would rather see a stray paper than miss one of theirs; `balanced`, the best share of
   * both sides right (for "cs", where the papers outside matter as much as those inside); `{ minRecall }`,
   * the best precision that keeps at least that recall (for a field whose readers are promised a recall).
   */
  objective?: Objective;
}

/**
 * The fields: the ones topics.yaml routes by (cs.CV, cs.CL, …) and "cs", any computer science or machine
 * learning at all, which separates the papers the taxonomy is for from mathematics, physics or biology.
 */
export type Objective = 'f1' | 'recall' | 'balanced' | { minRecall: number };

export const FIELDS: FieldSpec[] = [
  { name: 'cs', categories: ['cs.', 'stat.ML', 'eess.'], objective: 'balanced' },
  // A vision reader is promised 85% of vision papers. The threshold is fitted on the validation papers, so their
  // recall flatters it: 0.88 leaves three standard errors (about 1,150 vision papers there) for papers never
  // seen. Precision is what the words allow at that recall (a stricter threshold trades recall one for one).
  { name: 'cs.CV', categories: ['cs.CV'], objective: { minRecall: 0.88 } },
  { name: 'cs.CL', categories: ['cs.CL'], objective: 'recall' },
  { name: 'cs.CR', categories: ['cs.CR'] },
  { name: 'cs.RO', categories: ['cs.RO'], objective: 'recall' },
  { name: 'cs.SD', categories: ['cs.SD', 'eess.AS'], objective: 'recall' },
  { name: 'cs.IR', categories: ['cs.IR'] },
  { name: 'cs.LG', categories: ['cs.LG', 'stat.ML'] },
  { name: 'cs.AI', categories: ['cs.AI'] },
  { name: 'cs.SE', categories: ['cs.SE', 'cs.PL'] },
  { name: 'cs.DC', categories: ['cs.DC', 'cs.AR', 'cs.PF', 'cs.NI'] },
  { name: 'cs.MA', categories: ['cs.MA'] },
  { name: 'cs.HC', categories: ['cs.HC', 'cs.CY'] },
  { name: 'cs.GR', categories: ['cs.GR'] },
  { name: 'eess.IV', categories: ['eess.IV'] },
  { name: 'cs.GT', categories: ['cs.GT', 'cs.IT', 'cs.DS', 'cs.CC', 'cs.LO', 'math.OC'] },
];

export const inField = (categories: string[], field: FieldSpec): boolean =>
  categories.some((c) => field.categories.some((f) => (f.endsWith('.') ? c.startsWith(f) : c === f)));

export interface TrainOptions {
  /** Terms seen in fewer training papers are not considered. */
  minPapers: number;
  /** Terms kept after the first fit, by their largest weight over the fields. */
  keepTerms: number;
  /** Weights smaller than this are dropped from the table (they change no decision). */
  minWeight: number;
  epochs: number;
  /** The SGD step of the first epoch (the n-th epoch's is rate / n). */
  rate: number;
  /** L2 penalty per update. */
  l2: number;
  /** Percent of the corpus (by a hash of the title) kept out of training to set and report the thresholds. */
  validationPercent: number;
}

export const DEFAULTS: TrainOptions = { minPapers: 5, keepTerms: 12000, minWeight: 0.05, epochs: 8, rate: 2, l2: 1e-6, validationPercent: 15 };

/** FNV-1a of the folded title: the validation split, stable across machines and corpus order. */
export function titleHash(title: string): number {
  const key = title.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export const isValidation = (title: string, percent: number): boolean => titleHash(title) % 100 < percent;

interface Doc {
  ids: Int32Array;
  x: Float64Array;
  y: Uint8Array;
}

/** A small deterministic PRNG (mulberry32) for the order of updates; scripts/eval-picks.ts draws with it too. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function toDoc(row: CorpusRow, index: Map<string, number>, fields: FieldSpec[]): Doc {
  const t = paperTerms(row.title, row.abstract);
  const scale = lengthScale(t.length);
  const pairs: [number, number][] = [];
  for (const [term, v] of t.values) {
    const id = index.get(term);
    if (id !== undefined) pairs.push([id, v * scale]);
  }
  pairs.sort((a, b) => a[0] - b[0]);
  return { ids: Int32Array.from(pairs, (p) => p[0]), x: Float64Array.from(pairs, (p) => p[1]), y: Uint8Array.from(fields, (f) => Number(inField(row.categories, f))) };
}

/** One-vs-rest logistic regression by SGD in a seeded order: the same docs give the same weights, bit for bit. */
function fit(docs: Doc[], features: number, outputs: number, o: TrainOptions): { w: Float64Array[]; b: Float64Array } {
  const w = Array.from({ length: outputs }, () => new Float64Array(features));
  const b = new Float64Array(outputs);
  const order = docs.map((_, i) => i);
  const random = rng(13);
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    const rate = o.rate / (1 + epoch);
    for (const d of order) {
      const doc = docs[d]!;
      for (let k = 0; k < outputs; k++) {
        const wk = w[k]!;
        let z = b[k]!;
        for (let n = 0; n < doc.ids.length; n++) z += wk[doc.ids[n]!]! * doc.x[n]!;
        const g = 1 / (1 + Math.exp(-z)) - doc.y[k]!;
        b[k] = b[k]! - rate * 0.1 * g;
        for (let n = 0; n < doc.ids.length; n++) {
          const id = doc.ids[n]!;
          wk[id] = wk[id]! - rate * (g * doc.x[n]! + o.l2 * wk[id]!);
        }
      }
    }
  }
  return { w, b };
}

export interface TrainedModel {
  fields: { name: string; categories: string[]; bias: number; threshold: number }[];
  /** [term, spelling, { field: weight }], sorted by term. */
  terms: [string, string, Record<string, number>][];
  validation: { papers: number; fields: { name: string; papers: number; precision: number; recall: number }[] };
}

const round = (x: number, digits: number) => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};

/** Corpus rows → the model. Pure and deterministic: no clock, no randomness beyond the seeded order. */
export function train(rows: CorpusRow[], o: TrainOptions = DEFAULTS, fields: FieldSpec[] = FIELDS, log: (line: string) => void = () => {}): TrainedModel {
  // A fixed order (by title hash, then title), so the corpus's line order does not change the weights.
  const sorted = rows
    .map((r) => ({ r, h: titleHash(r.title) }))
    .sort((a, b) => a.h - b.h || cmp(a.r.title, b.r.title) || cmp(a.r.abstract, b.r.abstract))
    .map((x) => x.r);
  const trainRows = sorted.filter((r) => !isValidation(r.title, o.validationPercent));
  const validRows = sorted.filter((r) => isValidation(r.title, o.validationPercent));
  log(`${trainRows.length} papers to train on, ${validRows.length} to validate`);

  // Terms in enough papers, and each term's most frequent spelling (how explanations write it).
  const df = new Map<string, number>();
  const spellings = new Map<string, Map<string, number>>();
  for (const r of trainRows) {
    const t = paperTerms(r.title, r.abstract);
    for (const term of t.values.keys()) df.set(term, (df.get(term) ?? 0) + 1);
    for (const [term, written] of t.spelling) {
      const m = spellings.get(term) ?? new Map<string, number>();
      m.set(written, (m.get(written) ?? 0) + 1);
      spellings.set(term, m);
    }
  }
  const vocab = [...df].filter(([, n]) => n >= o.minPapers).map(([t]) => t).sort();
  log(`${df.size} terms, ${vocab.length} in at least ${o.minPapers} papers`);

  // One fit on every term; the table keeps the terms that matter most to some field.
  const { model } = fitOn(vocab);
  const strength = vocab.map((_, i) => Math.max(...model.w.map((wk) => Math.abs(wk[i]!))));
  const keep = new Set(
    vocab
      .map((t, i) => [t, strength[i]!] as const)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, o.keepTerms)
      .map(([t]) => t),
  );

  // The shipped table: rounded weights, small ones dropped; thresholds are set on the validation papers with it.
  const terms: TrainedModel['terms'] = [];
  vocab.forEach((term, i) => {
    if (!keep.has(term)) return;
    const weights: Record<string, number> = {};
    fields.forEach((f, k) => {
      const wv = round(model.w[k]![i]!, 2);
      if (Math.abs(wv) >= o.minWeight) weights[f.name] = wv;
    });
    if (Object.keys(weights).length > 0) terms.push([term, bestSpelling(spellings.get(term)!), weights]);
  });
  const bias = fields.map((_, k) => round(model.b[k]!, 2));
  const table = new Map(terms.map(([t, , w]) => [t, w]));
  const scores = validRows.map((r) => {
    const t = paperTerms(r.title, r.abstract);
    const scale = lengthScale(t.length);
    const z = fields.map((f, k) => bias[k]!);
    for (const [term, v] of t.values) {
      const w = table.get(term);
      if (!w) continue;
      fields.forEach((f, k) => {
        const wv = w[f.name];
        if (wv !== undefined) z[k] = z[k]! + wv * v * scale;
      });
    }
    return z;
  });
  const out: TrainedModel['fields'] = [];
  const validation: TrainedModel['validation'] = { papers: validRows.length, fields: [] };
  fields.forEach((f, k) => {
    const labelled = validRows.map((r, i) => ({ z: scores[i]![k]!, y: inField(r.categories, f) }));
    const { threshold, precision, recall, papers } = bestThreshold(labelled, f.objective ?? 'f1');
    out.push({ name: f.name, categories: f.categories, bias: bias[k]!, threshold });
    validation.fields.push({ name: f.name, papers, precision, recall });
    log(`${f.name.padEnd(8)} n=${String(papers).padStart(5)}  threshold ${threshold.toFixed(2)}  precision ${precision.toFixed(3)}  recall ${recall.toFixed(3)}`);
  });
  log(`${terms.length} terms in the table`);
  return { fields: out, terms, validation };

  function fitOn(v: string[]) {
    const index = new Map(v.map((t, i) => [t, i]));
    const docs = trainRows.map((r) => toDoc(r, index, fields));
    return { model: fit(docs, v.length, fields.length, o), index };
  }
}

/** The most frequent spelling; ties to the one that sorts first. */
function bestSpelling(m: Map<string, number>): string {
  return [...m].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]![0];
}

/** The score threshold with the best objective on the validation papers (thresholds on a 0.05 grid, so they round alike). */
function bestThreshold(labelled: { z: number; y: boolean }[], objective: Objective): { threshold: number; precision: number; recall: number; papers: number } {
  const papers = labelled.filter((l) => l.y).length;
  const outside = labelled.length - papers;
  let best = { threshold: 0, precision: 0, recall: 0, papers, f: -1 };
  for (let t = -4; t <= 4.0001; t += 0.05) {
    const th = round(t, 2);
    let tp = 0;
    let fp = 0;
    for (const l of labelled) {
      if (l.z < th) continue;
      if (l.y) tp++;
      else fp++;
    }
    const precision = tp / Math.max(1, tp + fp);
    const recall = tp / Math.max(1, papers);
    const beta2 = objective === 'recall' ? 4 : 1;
    const f =
      typeof objective === 'object'
        ? recall >= objective.minRecall
          ? precision
          : recall - 1
        : objective === 'balanced'
          ? recall + (outside - fp) / Math.max(1, outside)
          : ((1 + beta2) * precision * recall) / Math.max(1e-9, beta2 * precision + recall);
    if (f > best.f) best = { threshold: th, precision: round(precision, 3), recall: round(recall, 3), papers, f };
  }
  const { f: _f, ...rest } = best;
  return rest;
}

/** The model file: one term per line, so a retrain reads as a diff of terms and weights. */
export function formatModel(m: TrainedModel, source: string): string {
  const head = {
    about: 'Learned field model for paperboy topics (npm run topics:train). Score of a field = bias + sum of weight × value / sqrt(max(20, words)); value 2 for a term in the title, 1 in the abstract only. A paper is in the field when the score reaches the threshold.',
    source,
    validation: m.validation,
    fields: m.fields,
  };
  const lines = m.terms.map((t) => `  ${JSON.stringify(t)}`);
  const json = JSON.stringify(head, null, 1);
  return `${json.slice(0, -2)},\n "terms": [\n${lines.join(',\n')}\n ]\n}\n`;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
