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
  /** Position in the corpus: typed arrays indexed by it stand in for per-reader Sets and Maps. */
  n: number;
  /** Term → weighted count (a title occurrence counts TITLE_WEIGHT times). */
  tf: Map<string, number>;
  /** Weighted length, for BM25's length normalization. */
  length: number;
  /** Lowercased author names, for "by …" matches. */
  authors: string[];
  /** TF-IDF weights scaled to unit length, by term id; built on first use (feedback and follows need them, keywords do not). */
  vector?: Sparse;
}

/** A sparse vector over term ids: parallel arrays, so a dot with a dense vector is a tight loop (Maps of strings were 50× slower). */
export interface Sparse {
  ids: Int32Array;
  w: Float64Array;
}

export interface Corpus {
  docs: IndexedDoc[];
  byId: Map<string, IndexedDoc>;
  df: Map<string, number>;
  avgLength: number;
  /** Term → the docs holding it: keyword scoring visits only those. */
  postings: Map<string, IndexedDoc[]>;
  /** Term → id, for every term of the corpus (ids 0 … size-1). */
  vocab: Map<string, number>;
  /** TF-IDF vectors of papers outside the corpus (followed, marked) by id: many readers mark the same papers. Bounded. */
  outside: Map<string, Sparse>;
  /** A candidate list (cached per selection by the caller) as docs and a membership mask, made once per list. */
  candidateSets: WeakMap<readonly string[], CandidateSet>;
  /** Keyword → the papers it scores in and how (rank.ts): readers share keywords. Bounded. */
  keywords: Map<string, KeywordMatches>;
  /** Per paper, the last pass (`generation`) that visited it: a reusable "seen" set. */
  stamp: Uint32Array;
  generation: number;
  /** Dense scratch vectors of vocabulary size, lent to one ranking at a time and zeroed before they are returned. */
  scratch: Float64Array[];
}

export interface KeywordMatches {
  docs: IndexedDoc[];
  scores: Float64Array;
  /** 1 where the whole keyword matched (every word, and as a phrase when it has two or more). */
  full: Uint8Array;
}

export interface CandidateSet {
  docs: IndexedDoc[];
  /** 1 at a candidate's position. */
  mask: Uint8Array;
}

const MAX_OUTSIDE = 20_000;

/** A followed or marked paper's vector against this corpus, tokenized once per corpus. */
export function outsideVector(c: Corpus, doc: RankDoc): Sparse {
  let v = c.outside.get(doc.id);
  if (!v) {
    if (c.outside.size >= MAX_OUTSIDE) c.outside.clear();
    v = sparseOf(c, vectorOf(c, termCounts(doc).tf));
    c.outside.set(doc.id, v);
  }
  return v;
}

/** The corpus papers among `ids`, with a mask: keyed by the list itself, so a selection's list is resolved once. */
export function candidateSet(c: Corpus, ids: readonly string[]): CandidateSet {
  let set = c.candidateSets.get(ids);
  if (!set) {
    const docs: IndexedDoc[] = [];
    const mask = new Uint8Array(c.docs.length);
    for (const id of ids) {
      const d = c.byId.get(id);
      if (d && mask[d.n] === 0) {
        mask[d.n] = 1;
        docs.push(d);
      }
    }
    c.candidateSets.set(ids, (set = { docs, mask }));
  }
  return set;
}

/** Borrows a zeroed dense vector of vocabulary size; `release` zeroes the entries `vs` wrote and returns it. */
export function borrow(c: Corpus): Float64Array {
  return c.scratch.pop() ?? new Float64Array(c.vocab.size);
}
export function release(c: Corpus, dense: Float64Array, written: readonly Sparse[]): void {
  for (const v of written) for (let i = 0; i < v.ids.length; i++) dense[v.ids[i]!] = 0;
  c.scratch.push(dense);
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
  const vocab = new Map<string, number>();
  let total = 0;
  for (const doc of docs) {
    const { tf, length } = termCounts(doc);
    const d: IndexedDoc = { doc, n: indexed.length, tf, length, authors: (doc.authors ?? []).map((a) => a.toLowerCase()) };
    indexed.push(d);
    total += length;
    for (const t of tf.keys()) {
      df.set(t, (df.get(t) ?? 0) + 1);
      let list = postings.get(t);
      if (!list) {
        postings.set(t, (list = []));
        vocab.set(t, vocab.size);
      }
      list.push(d);
    }
  }
  return { docs: indexed, byId: new Map(indexed.map((d) => [d.doc.id, d])), df, avgLength: total / Math.max(1, indexed.length), postings, vocab, outside: new Map(), candidateSets: new WeakMap(), scratch: [], keywords: new Map(), stamp: new Uint32Array(indexed.length), generation: 0 };
}

/** Smoothed inverse document frequency; a term the corpus lacks gets the highest value. */
export const idf = (c: Corpus, term: string) => Math.log(1 + (c.docs.length + 1) / ((c.df.get(term) ?? 0) + 0.5));

/** A paper's TF-IDF vector (sublinear tf), unit length; papers outside the corpus (followed, marked earlier) too. */
export function vectorOf(c: Corpus, tf: Map<string, number>): Map<string, number> {
  const v = new Map<string, number>();
  let norm = 0;
  for (const [t, n] of tf) {
    // Likeness is by words: phrases are for keywords (BM25). In a vector a word pair the edition holds twice
    // outweighed the words, so a followed paper pulled papers sharing one phrase (tuned on train's tune part:
    // followed-paper readers 0.763 → 0.774, phrases at 0.4 of a word 0.777; keyword readers' expansion -0.005).
    if (t.includes(' ')) continue;
    // A followed paper's words the edition lacks match nothing here; counted in its length they only shrank its
    // shared words, so a paper with many rare words pulled less than one with few (tuned on train.jsonl.gz).
    if (!c.df.has(t)) continue;
    const w = (1 + Math.log(n)) * idf(c, t);
    v.set(t, w);
    norm += w * w;
  }
  norm = Math.sqrt(norm) || 1;
  for (const [t, w] of v) v.set(t, w / norm);
  return v;
}

/** A vector by term ids; terms the corpus lacks are left out (they match no corpus paper). */
export function sparseOf(c: Corpus, v: Map<string, number>): Sparse {
  const ids: number[] = [];
  const w: number[] = [];
  for (const [t, x] of v) {
    const id = c.vocab.get(t);
    if (id === undefined) continue;
    ids.push(id);
    w.push(x);
  }
  return { ids: Int32Array.from(ids), w: Float64Array.from(w) };
}

export function docVector(c: Corpus, d: IndexedDoc): Sparse {
  return (d.vector ??= sparseOf(c, vectorOf(c, d.tf)));
}

/** Every paper's vector, made once per corpus (all readers share them). */
export function allVectors(c: Corpus): void {
  for (const d of c.docs) docVector(c, d);
}

/** Sparse · dense; ids past the dense vector's end count zero. */
export function dotDense(a: Sparse, dense: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.ids.length; i++) {
    const id = a.ids[i]!;
    if (id < dense.length) s += a.w[i]! * dense[id]!;
  }
  return s;
}

/** Adds `scale` × each sparse vector into `dense` (a borrowed scratch vector). */
export function addInto(dense: Float64Array, vs: readonly Sparse[], scale: number): Float64Array {
  for (const v of vs) for (let i = 0; i < v.ids.length; i++) dense[v.ids[i]!]! += v.w[i]! * scale;
  return dense;
}
