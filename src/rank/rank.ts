// One reader's picks: keyword match (BM25 with phrases), likeness to papers they follow or marked (Rocchio, or a
// per-reader logistic model once there is enough feedback), authors; every pick with its reasons in words.
import { addInto, borrow, buildCorpus, candidateSet, type KeywordMatches, docVector, dotDense, idf, outsideVector, release, type Corpus, type IndexedDoc, type RankDoc, type Sparse } from './corpus.ts';
import { trainModel, MIN_FOR_MODEL, type LinearModel } from './model.ts';
import { words } from './tokenize.ts';

/** A paper the reader pointed at: followed, or marked "more like this" / "fewer like this". */
export interface MarkedPaper extends RankDoc {
  /** How the reason names it: "like 'PaLM-E' you marked" or "… you follow". */
  via: 'follow' | 'marked';
}

export interface ReaderInterests {
  /** Phrases as the reader wrote them ("robot grasping", "tactile sensing"). */
  keywords: readonly string[];
  authors: readonly string[];
  liked: readonly MarkedPaper[];
  disliked: readonly RankDoc[];
}

export interface Pick {
  id: string;
  score: number;
  reasons: string[];
}

export const PICKS = 5;
const K1 = 1.2;
const B = 0.75;
/** How much a "fewer like this" pushes similar papers down, against a like's pull. */
const DISLIKE_WEIGHT = 0.6;
/** Cosine to the liked papers' centroid below which likeness is no reason on its own. */
// Tuned on train.jsonl.gz only (scripts/eval-picks.ts --split train): 0.08 left liked-paper readers with too few picks.
const MIN_LIKENESS = 0.03;
/**
 * Keyword readers' query expansion (pseudo-relevance feedback): the best keyword matches' TF-IDF centroid re-ranks
 * the papers that match, so "learning" means the sense most of its matches share. Tuned on train.jsonl.gz only.
 */
const EXPAND_FROM = 20;
const EXPAND_WEIGHT = 3;
/**
 * The same for readers who follow papers: the centroid of the FEEDBACK_FROM papers most like them re-ranks the
 * candidates, weighing as much as the likeness itself. Tuned on the tune part of train.jsonl.gz only (5, 10, 15, 20
 * tried; with the followed papers in that centroid too: worse).
 */
const FEEDBACK_FROM = 15;

export const hasInterests = (i: ReaderInterests) => i.keywords.length > 0 || i.authors.length > 0 || i.liked.length > 0;

/** Splits free text into keyword phrases: commas, semicolons and new lines separate them. */
export function parseKeywords(text: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of text.split(/[,;\n]+/)) {
    const k = raw.replace(/\s+/g, ' ').trim().slice(0, 80);
    if (k === '' || words(k).every((w) => w === null) || seen.has(k.toLowerCase())) continue;
    seen.add(k.toLowerCase());
    out.push(k);
  }
  return out.slice(0, 30);
}

interface Keyword {
  label: string;
  unigrams: string[];
  phrases: string[];
}

/** Readers type the same keywords: each is tokenized once (bounded, cleared when full). */
const compiled = new Map<string, Keyword>();
function compileKeyword(label: string): Keyword {
  let k = compiled.get(label);
  if (!k) {
    if (compiled.size >= 50_000) compiled.clear();
    compiled.set(label, (k = tokenizeKeyword(label)));
  }
  return k;
}

function tokenizeKeyword(label: string): Keyword {
  const ws = words(label);
  const unigrams = [...new Set(ws.filter((w): w is string => w !== null))];
  const phrases: string[] = [];
  for (let i = 0; i + 1 < ws.length; i++) if (ws[i] && ws[i + 1]) phrases.push(`${ws[i]} ${ws[i + 1]}`);
  return { label, unigrams, phrases };
}

const bm25 = (c: Corpus, d: IndexedDoc, term: string) => {
  const n = d.tf.get(term);
  if (!n) return 0;
  return (idf(c, term) * n * (K1 + 1)) / (n + K1 * (1 - B + (B * d.length) / c.avgLength));
};

/**
 * Every paper of the corpus a keyword scores in, with its score: the same for every reader who typed it, so
 * computed once per corpus (bounded) and filtered by each reader's candidates.
 */
function keywordMatches(c: Corpus, k: Keyword): KeywordMatches {
  let m = c.keywords.get(k.label);
  if (m) return m;
  // Each paper once, however many of the keyword's words it holds: a stamp per paper instead of a Set.
  const gen = ++c.generation;
  const docs: IndexedDoc[] = [];
  const scores: number[] = [];
  const full: number[] = [];
  for (const w of k.unigrams) {
    for (const d of c.postings.get(w) ?? []) {
      if (c.stamp[d.n] === gen) continue;
      c.stamp[d.n] = gen;
      const s = keywordScore(c, d, k);
      if (s.score <= 0) continue;
      docs.push(d);
      scores.push(s.score);
      full.push(s.full ? 1 : 0);
    }
  }
  if (c.keywords.size >= 20_000) c.keywords.clear();
  c.keywords.set(k.label, (m = { docs, scores: Float64Array.from(scores), full: Uint8Array.from(full) }));
  return m;
}

/** A keyword's BM25 in one paper: its words (scaled by the share present) plus its phrases counted as phrases. */
function keywordScore(c: Corpus, d: IndexedDoc, k: Keyword): { score: number; full: boolean } {
  let sum = 0;
  let present = 0;
  for (const w of k.unigrams) {
    const s = bm25(c, d, w);
    if (s > 0) present++;
    sum += s;
  }
  if (present === 0) return { score: 0, full: false };
  const share = present / k.unigrams.length;
  let phrase = 0;
  for (const p of k.phrases) phrase += bm25(c, d, p);
  // A two-word keyword found as a phrase is what the reader meant; its words scattered count less.
  const full = share === 1 && (k.phrases.length === 0 || phrase > 0);
  return { score: sum * share * share + 1.5 * phrase, full };
}

const fold = (s: string) => s.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/\s+/g, ' ').trim();
const shortTitle = (t: string) => (t.length <= 60 ? t : `${t.slice(0, 57).replace(/\s+\S*$/, '')}…`);

/**
 * Scores every candidate (papers of the edition within the reader's topics) and returns the best `count`, each
 * with its reasons. A paper needs some evidence to be picked: a whole keyword, an author, or likeness to a
 * paper the reader follows or liked; without any, no picks.
 *
 * Per reader this allocates little: the candidates are resolved once per list (`candidateSet`), the papers'
 * vectors once per corpus, and dense vectors are borrowed scratch (a delivery ranks 10,000 readers in a row).
 */
export function rankFor(corpus: Corpus, candidates: readonly string[], interests: ReaderInterests, count = PICKS): Pick[] {
  const keywords = interests.keywords.map(compileKeyword).filter((k) => k.unigrams.length > 0);
  const authors = new Set(interests.authors.map(fold).filter((a) => a !== ''));
  const set = candidateSet(corpus, candidates);
  const markedIds = interests.liked.length + interests.disliked.length > 0 ? new Set([...interests.liked, ...interests.disliked].map((d) => d.id)) : null;
  const isCandidate = (d: IndexedDoc) => set.mask[d.n] === 1 && (markedIds === null || !markedIds.has(d.doc.id));
  const pool = markedIds === null ? set.docs : set.docs.filter(isCandidate);
  if (pool.length === 0) return [];

  // Keywords: only papers holding one of the words are visited.
  const kw = new Map<IndexedDoc, { score: number; matched: { label: string; score: number }[] }>();
  for (const k of keywords) {
    const m = keywordMatches(corpus, k);
    for (let j = 0; j < m.docs.length; j++) {
      const d = m.docs[j]!;
      if (!isCandidate(d)) continue;
      const score = m.scores[j]!;
      let e = kw.get(d);
      if (!e) kw.set(d, (e = { score: 0, matched: [] }));
      e.score += score;
      if (m.full[j] === 1) e.matched.push({ label: k.label, score });
    }
  }
  let kwMax = 0;
  for (const e of kw.values()) kwMax = Math.max(kwMax, e.score);
  // Only before any feedback: once the reader marks papers, their marks say what they meant better than a guess.
  const expansion = markedIds === null ? expand(corpus, kw) : null;

  // Likeness: a per-reader linear model once there is enough feedback, else the centroid of liked papers
  // minus a share of the disliked ones (Rocchio).
  const likedVecs = interests.liked.map((p) => ({ p, v: outsideVector(corpus, p) }));
  const dislikedVecs = interests.disliked.map((p) => outsideVector(corpus, p));
  const likedOnly = likedVecs.map((x) => x.v);
  const likeness = new Float64Array(pool.length);
  const nearness = new Float64Array(pool.length);
  // Scaled to [-1, 1] so likeness and keywords weigh alike whatever the model's units.
  let likeScale = 0;
  if (likedVecs.length > 0 || dislikedVecs.length > 0) {
    const centroid = addInto(borrow(corpus), likedOnly, 1 / Math.max(1, likedOnly.length));
    const useModel = interests.liked.length + interests.disliked.length >= MIN_FOR_MODEL && interests.liked.length > 0;
    const weights = useModel ? borrow(corpus) : null;
    const background = useModel ? pool.map((d) => docVector(corpus, d)) : [];
    const model: LinearModel | null = weights ? trainModel(likedOnly, dislikedVecs, background, weights) : null;
    const anti = !model && dislikedVecs.length > 0 ? addInto(borrow(corpus), dislikedVecs, DISLIKE_WEIGHT / dislikedVecs.length) : null;
    for (let i = 0; i < pool.length; i++) {
      const v = docVector(corpus, pool[i]!);
      const near = likedOnly.length > 0 ? dotDense(v, centroid) : 0;
      const l = model ? model.score(v) : near - (anti ? dotDense(v, anti) : 0);
      nearness[i] = near;
      likeness[i] = l;
      likeScale = Math.max(likeScale, Math.abs(l));
    }
    release(corpus, centroid, likedOnly);
    if (anti) release(corpus, anti, dislikedVecs);
    // Before any feedback, papers followed are few and each has its own words: the best matches of the edition
    // say which of them the reader's field shares (pseudo-relevance feedback, as keywords' expansion).
    if (likedOnly.length > 0 && interests.disliked.length === 0 && interests.liked.every((l) => l.via === 'follow')) {
      likeScale = feedbackFromTop(corpus, pool, likeness, likeScale);
    }
    if (weights) release(corpus, weights, [...likedOnly, ...dislikedVecs, ...background]);
  }

  // A keyword-only reader's picks are among their matches: only those are visited.
  const likenessAny = likedVecs.length > 0 || dislikedVecs.length > 0;
  const visit: readonly IndexedDoc[] = likenessAny || authors.size > 0 ? pool : [...kw.keys()];
  const best = new TopK<{ d: IndexedDoc; score: number; byAuthor?: string; near: number }>(count, (a, b) => b.score - a.score || a.d.doc.id.localeCompare(b.d.doc.id));
  for (let j = 0; j < visit.length; j++) {
    const d = visit[j]!;
    // visit is the pool itself whenever likeness was scored, so j indexes its arrays.
    const i = likenessAny ? j : -1;
    const k = kw.get(d);
    const kwPart = k && kwMax > 0 ? k.score / kwMax : 0;
    const near = i >= 0 ? nearness[i]! : 0;
    const likePart = i >= 0 && likeScale > 0 ? likeness[i]! / likeScale : 0;
    const byAuthor = authors.size > 0 ? d.authors.find((a) => authors.has(fold(a))) : undefined;
    const evidence = (k?.matched.length ?? 0) > 0 || byAuthor !== undefined || near >= MIN_LIKENESS;
    if (!evidence) continue;
    const score = kwPart + likePart + EXPAND_WEIGHT * (expansion?.get(d) ?? 0) + (byAuthor ? 1 : 0);
    if (score > 0) best.offer({ d, score, byAuthor, near });
  }
  // Reasons only for the papers picked: naming the closest liked paper costs a dot per liked paper.
  return best
    .sorted()
    .map(({ d, score, byAuthor, near }) => {
      const k = kw.get(d);
      const reasons: string[] = [];
      if (k && k.matched.length > 0) reasons.push(`matches: ${[...k.matched].sort((a, b) => b.score - a.score).slice(0, 3).map((m) => m.label).join(', ')}`);
      if (byAuthor) reasons.push(`by ${d.doc.authors!.find((a) => fold(a) === fold(byAuthor))}`);
      if (near >= MIN_LIKENESS) {
        const best = closest(corpus, docVector(corpus, d), likedVecs);
        reasons.push(`like '${shortTitle(best.title)}' you ${best.via === 'follow' ? 'follow' : 'marked'}`);
      }
      return { id: d.doc.id, score, reasons };
    });
}

/** The best `k` items offered, by `order` (negative: a before b), without sorting them all. */
class TopK<T> {
  private items: T[] = [];
  constructor(
    private k: number,
    private order: (a: T, b: T) => number,
  ) {}
  offer(x: T): void {
    const items = this.items;
    if (this.k <= 0) return;
    if (items.length === this.k && this.order(x, items[items.length - 1]!) >= 0) return;
    let at = items.length;
    while (at > 0 && this.order(x, items[at - 1]!) < 0) at--;
    items.splice(at, 0, x);
    if (items.length > this.k) items.pop();
  }
  sorted(): T[] {
    return this.items;
  }
}

/**
 * Adds to each candidate's likeness its likeness to the centroid of the `FEEDBACK_FROM` likest candidates (scaled
 * to the likeness's own range) and returns the new scale.
 */
function feedbackFromTop(corpus: Corpus, pool: readonly IndexedDoc[], likeness: Float64Array, scale: number): number {
  const best = new TopK<number>(FEEDBACK_FROM, (a, b) => likeness[b]! - likeness[a]! || a - b);
  for (let i = 0; i < pool.length; i++) best.offer(i);
  const top = best.sorted().map((i) => docVector(corpus, pool[i]!));
  const centroid = addInto(borrow(corpus), top, 1 / top.length);
  const prf = new Float64Array(pool.length);
  let max = 0;
  for (let i = 0; i < pool.length; i++) max = Math.max(max, (prf[i] = dotDense(docVector(corpus, pool[i]!), centroid)));
  release(corpus, centroid, top);
  let newScale = 0;
  for (let i = 0; i < pool.length; i++) {
    if (max > 0) likeness[i] = likeness[i]! + (scale * prf[i]!) / max;
    newScale = Math.max(newScale, Math.abs(likeness[i]!));
  }
  return newScale;
}

/**
 * Likeness (scaled to [0, 1]) of each keyword-matched paper to the centroid of the best whole-keyword matches. Only
 * matched papers are scored: they are the only ones a keyword can pick, and it keeps the cost to the matches.
 */
function expand(corpus: Corpus, kw: Map<IndexedDoc, { score: number; matched: unknown[] }>): Map<IndexedDoc, number> {
  const out = new Map<IndexedDoc, number>();
  const best = new TopK<[IndexedDoc, { score: number }]>(EXPAND_FROM, (a, b) => b[1].score - a[1].score || a[0].doc.id.localeCompare(b[0].doc.id));
  for (const entry of kw) if (entry[1].matched.length > 0) best.offer(entry);
  const top = best.sorted().map(([d]) => docVector(corpus, d));
  if (top.length === 0) return out;
  const centroid = addInto(borrow(corpus), top, 1 / top.length);
  let max = 0;
  for (const d of kw.keys()) {
    const x = dotDense(docVector(corpus, d), centroid);
    out.set(d, x);
    max = Math.max(max, x);
  }
  release(corpus, centroid, top);
  if (max > 0) for (const [d, x] of out) out.set(d, x / max);
  return out;
}

/** The liked paper most like `v`: the first of equals, as a stable reason. */
function closest(corpus: Corpus, v: Sparse, liked: { p: MarkedPaper; v: Sparse }[]): MarkedPaper {
  const dense = addInto(borrow(corpus), [v], 1);
  let best = liked[0]!;
  let bestDot = -Infinity;
  for (const x of liked) {
    const s = dotDense(x.v, dense);
    if (s > bestDot) [best, bestDot] = [x, s];
  }
  release(corpus, dense, [v]);
  return best.p;
}

export { buildCorpus, type Corpus, type RankDoc };
