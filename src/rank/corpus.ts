// The papers one ranking runs over, indexed once per edition: term counts per paper, document frequencies, BM25 lengths.
import { terms } from './tokenize.ts';

export interface RankDoc {
  id: string;
  title: string;
  abstract: string;
  authors?: readonly string[];
}

export interface IndexedDoc {
  doc: RankDoc;
  /** Term → weighted count (a title occurrence counts TITLE_WEIGHT times). */
  tf: Map<string, number>;
  /** Weighted length, for BM25's length normalization. */
  length: number;
  /** Lowercased author names, for "by …" matches. */
  authors: string[];
  /** TF-IDF weights scaled to unit length; built on first use (feedback and follows need them, keywords do not). */
  vector?: Map<string, number>;
}

export interface Corpus {
  docs: IndexedDoc[];
  byId: Map<string, IndexedDoc>;
  df: Map<string, number>;
  avgLength: number;
  /** Term → the docs holding it: keyword scoring visits only those. */
  postings: Map<string, IndexedDoc[]>;
}

/** A title word says more about a paper than an abstract word. */
export const TITLE_WEIGHT = 3;

export function termCounts(doc: RankDoc): { tf: Map<string, number>; length: number } {
  const tf = new Map<string, number>();
  let length = 0;
  for (const t of terms(doc.title)) {
    tf.set(t, (tf.get(t) ?? 0) + TITLE_WEIGHT);
    length += TITLE_WEIGHT;
  }
  for (const t of terms(doc.abstract)) {
    tf.set(t, (tf.get(t) ?? 0) + 1);
    length += 1;
  }
  return { tf, length };
}

export function buildCorpus(docs: readonly RankDoc[]): Corpus {
  const indexed: IndexedDoc[] = [];
  const df = new Map<string, number>();
  const postings = new Map<string, IndexedDoc[]>();
  let total = 0;
  for (const doc of docs) {
    const { tf, length } = termCounts(doc);
    const d: IndexedDoc = { doc, tf, length, authors: (doc.authors ?? []).map((a) => a.toLowerCase()) };
    indexed.push(d);
    total += length;
    for (const t of tf.keys()) {
      df.set(t, (df.get(t) ?? 0) + 1);
      let list = postings.get(t);
      if (!list) postings.set(t, (list = []));
      list.push(d);
    }
  }
  return { docs: indexed, byId: new Map(indexed.map((d) => [d.doc.id, d])), df, avgLength: total / Math.max(1, indexed.length), postings };
}

/** Smoothed inverse document frequency; a term the corpus lacks gets the highest value. */
export const idf = (c: Corpus, term: string) => Math.log(1 + (c.docs.length + 1) / ((c.df.get(term) ?? 0) + 0.5));

/** A paper's TF-IDF vector (sublinear tf), unit length; papers outside the corpus (followed, marked earlier) too. */
export function vectorOf(c: Corpus, tf: Map<string, number>): Map<string, number> {
  const v = new Map<string, number>();
  let norm = 0;
  for (const [t, n] of tf) {
    // Phrases only count when the corpus has seen them twice: a one-off word pair is noise.
    if (t.includes(' ') && (c.df.get(t) ?? 0) < 2) continue;
    const w = (1 + Math.log(n)) * idf(c, t);
    v.set(t, w);
    norm += w * w;
  }
  norm = Math.sqrt(norm) || 1;
  for (const [t, w] of v) v.set(t, w / norm);
  return v;
}

export function docVector(c: Corpus, d: IndexedDoc): Map<string, number> {
  return (d.vector ??= vectorOf(c, d.tf));
}

export function dot(a: Map<string, number>, b: Map<string, number>): number {
  const [small, big] = a.size <= b.size ? [a, b] : [b, a];
  let s = 0;
  for (const [t, w] of small) {
    const o = big.get(t);
    if (o !== undefined) s += w * o;
  }
  return s;
}
