// The learned field model at classification time: which arXiv fields a paper's words point to, and the words that did.
import { readFileSync } from 'node:fs';
import { configError } from '../errors.ts';
import { PairTable } from './pair-table.ts';
import { joins, lengthScale, termOf } from './terms.ts';
import { isWordCode } from './text.ts';
import type { WordReader } from './words.ts';

export interface ModelField {
  name: string;
  /** The arXiv categories the field stands for (a trailing "." is a prefix: "cs." is all of computer science). */
  categories: string[];
  bias: number;
  threshold: number;
}

/** The model file as written by the trainer (src/topics/train.ts). */
export interface ModelFile {
  fields: ModelField[];
  terms: [string, string, Record<string, number>][];
}

/** A term's part in a field's score: its weight × its value (2 in the title, 1 in the abstract), before length scaling. */
export interface Contribution {
  term: string;
  /** As papers usually write it ("LiDAR", "speaker verification"). */
  spelling: string;
  points: number;
}

export interface FieldScores {
  /** Per field (model order): bias + Σ weight × value × length scale. A plain array: a Float64Array of this size costs ten times as much to allocate, once per paper. */
  score: number[];
  /** Per field: score ≥ threshold. */
  hit: boolean[];
}

/** Every UTF-16 code unit → itself, ASCII letters lowercased, when it is a word character; else 0. */
const FOLD = new Uint16Array(65536);
for (let c = 1; c < 65536; c++) if (isWordCode(c)) FOLD[c] = c >= 65 && c <= 90 ? c + 32 : c;

const NOT_A_TERM = -2;
const UNKNOWN = -1;

export class FieldModel implements WordReader {
  readonly fields: ModelField[];
  /** Word ids: every word used by some term. */
  private readonly wordId = new Map<string, number>();
  /** Written word → word id, UNKNOWN or NOT_A_TERM: stemming runs once per distinct word (see WordMemo). */
  private readonly memo = new WordMemo((w) => this.wordOf(w));
  /** Word id → its one-word feature, or -1. */
  private readonly unigram: Int32Array;
  /** (first word id, second word id) → phrase feature. */
  private readonly bigram: PairTable;
  /** Word id → 1 when some phrase starts with it: the phrase lookup runs only then. */
  private readonly startsPhrase: Uint8Array;
  /**
   * Feature f → the code of its weight for field k at f × (number of fields) + k (0: it has none): dense, so a
   * paper's sums index directly. The weight itself is weightOf[code]: a model holds few distinct weights (the
   * trainer rounds them to cents), so two bytes a weight instead of eight, and a paper's 200-odd features read
   * a quarter of the memory (a cache line per feature, not two).
   */
  private readonly weightCode: Uint16Array | Uint32Array;
  private readonly weightOf: Float64Array;
  /** Code → its weight's points in cents at value 1 (2 × code) and at value 2 (2 × code + 1), as an explanation rounds them. */
  private readonly centsOf: Float64Array;
  /** Scratch: a paper's per-field sums. */
  private readonly sums: Float64Array;
  private readonly termOfFeature: string[];
  private readonly spellingOfFeature: string[];
  /** Scratch: feature → stamp of the paper that last counted it, and its value there. */
  private readonly seen: Int32Array;
  private readonly value: Uint8Array;
  /** The paper's features in the order first counted (a feature is counted once a paper, so n is room enough). */
  private readonly touched: Int32Array;
  private touchedCount = 0;
  private stamp = 0;
  /** Feature → its term's place in term order (ties in an explanation go to the term sorted first), and back. */
  private readonly termRank: Int32Array;
  private readonly featureOfRank: Int32Array;
  /** A power of two above the number of terms: the rank's share of a sort key (see rankContributions). */
  private readonly ranks: number;
  /** Scratch: sort keys of one explanation. */
  private readonly keys: Float64Array;
  private readonly packedKeys: boolean;
  /** Feature → 1 for a two-word phrase. */
  private readonly isPhrase: Uint8Array;
  /** Phrase feature f → the one-word features of its words at 2f and 2f + 1 (-1: none, or not a phrase). */
  private readonly partUnigram: Int32Array;
  /** Scratch for explanations: ranked features, their points, and per word the strongest phrase holding it. */
  private readonly order: Int32Array;
  private readonly points: Float64Array;
  private readonly phraseMax: Float64Array;
  private readonly phraseSeen: Int32Array;
  private phraseStamp = 0;
  /** The paper `touched` holds: an explanation right after scoring reuses it. */
  private lastTitle: string | null = null;
  private lastAbstract: string | null = null;
  private lastLength = 0;
  /** The shared pass's state within one text: the value of its words and the word before. */
  private readValue = 1;
  private readPrev = NOT_A_TERM;

  constructor(file: ModelFile) {
    this.fields = file.fields;
    const fieldIndex = new Map(file.fields.map((f, i) => [f.name, i]));
    const n = file.terms.length;
    const fieldCount = file.fields.length;
    const weight = new Float64Array(n * fieldCount);
    this.sums = new Float64Array(fieldCount);
    const unigrams: [number, number][] = [];
    const idOf = (w: string) => {
      let id = this.wordId.get(w);
      if (id === undefined) this.wordId.set(w, (id = this.wordId.size));
      return id;
    };
    this.termOfFeature = new Array(n);
    this.spellingOfFeature = new Array(n);
    // Word ids first, so the per-word arrays can be sized.
    for (const [term] of file.terms) for (const w of term.split(' ')) idOf(w);
    this.startsPhrase = new Uint8Array(this.wordId.size);
    const phrases: [number, number, number][] = [];
    file.terms.forEach(([term, spelling, weights], f) => {
      this.termOfFeature[f] = term;
      this.spellingOfFeature[f] = spelling;
      for (const [name, w] of Object.entries(weights)) {
        const k = fieldIndex.get(name);
        if (k !== undefined) weight[f * fieldCount + k] = w;
      }
      const parts = term.split(' ');
      if (parts.length === 1) unigrams.push([idOf(parts[0]!), f]);
      else {
        phrases.push([idOf(parts[0]!), idOf(parts[1]!), f]);
        this.startsPhrase[idOf(parts[0]!)] = 1;
      }
    });
    this.bigram = new PairTable(phrases, this.wordId.size);
    this.unigram = new Int32Array(this.wordId.size).fill(-1);
    for (const [id, f] of unigrams) this.unigram[id] = f;
    this.seen = new Int32Array(n);
    this.touched = new Int32Array(n);
    this.value = new Uint8Array(n);
    const byTerm = Array.from({ length: n }, (_, f) => f).sort((a, b) => (this.termOfFeature[a]! < this.termOfFeature[b]! ? -1 : 1));
    this.termRank = new Int32Array(n);
    byTerm.forEach((f, r) => (this.termRank[f] = r));
    this.featureOfRank = Int32Array.from(byTerm);
    this.ranks = 2 ** Math.ceil(Math.log2(n + 1));
    this.keys = new Float64Array(n);
    // Sort keys stay exact integers while cents × ranks < 2^53; a model with larger weights sorts with a comparator.
    let maxWeight = 0;
    for (let i = 0; i < weight.length; i++) if (weight[i]! > maxWeight) maxWeight = weight[i]!;
    this.packedKeys = Math.round(maxWeight * 2 * 100) * this.ranks < Number.MAX_SAFE_INTEGER;
    // The distinct weights, sorted (0, "no weight", among them), and each weight's place there by binary search:
    // no Map keyed by doubles, which would box each of them (+9 MB of garbage at load).
    const sorted = weight.slice().sort();
    let distinct = 0;
    for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[distinct - 1]) sorted[distinct++] = sorted[i]!;
    this.weightOf = sorted.slice(0, distinct);
    this.weightCode = distinct <= 0x10000 ? new Uint16Array(weight.length) : new Uint32Array(weight.length);
    for (let i = 0; i < weight.length; i++) {
      const w = weight[i]!;
      let lo = 0;
      let hi = distinct - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (this.weightOf[mid]! < w) lo = mid + 1;
        else hi = mid;
      }
      this.weightCode[i] = lo;
    }
    this.centsOf = new Float64Array(2 * distinct);
    for (let code = 0; code < distinct; code++) {
      for (const v of [1, 2]) this.centsOf[2 * code + v - 1] = Math.round(this.weightOf[code]! * v * 100);
    }
    const featureOfTerm = new Map(this.termOfFeature.map((t, f) => [t, f]));
    this.isPhrase = new Uint8Array(n);
    this.partUnigram = new Int32Array(2 * n).fill(-1);
    this.termOfFeature.forEach((t, f) => {
      const space = t.indexOf(' ');
      if (space < 0) return;
      this.isPhrase[f] = 1;
      for (const [side, w] of [t.slice(0, space), t.slice(space + 1)].entries()) {
        const u = featureOfTerm.get(w);
        if (u !== undefined && !w.includes(' ')) this.partUnigram[2 * f + side] = u;
      }
    });
    this.order = new Int32Array(n);
    this.points = new Float64Array(n);
    this.phraseMax = new Float64Array(n);
    this.phraseSeen = new Int32Array(n);
  }

  /** A written word's id for the model: ≥ 0 a word some term uses, -1 (UNKNOWN) another word, -2 (NOT_A_TERM) a stop word or number. */
  wordOf(word: string): number {
    const term = termOf(word);
    return term === null ? NOT_A_TERM : (this.wordId.get(term) ?? UNKNOWN);
  }

  /**
   * The classifier's shared pass (see words.ts): the keyword scanner hands over each word as its wordOf()
   * value with its joined flag (readWord), title first (beginText before each field); scores() and
   * contributions() of that paper then reuse them. Counts exactly as collect() does.
   */
  beginPaper(): void {
    this.lastTitle = null;
    this.lastAbstract = null;
    if (++this.stamp > 0x3fffffff) {
      this.seen.fill(0);
      this.stamp = 1;
    }
    this.touchedCount = 0;
    this.lastLength = 0;
  }

  beginText(inTitle: boolean): void {
    this.readValue = inTitle ? 2 : 1;
    this.readPrev = NOT_A_TERM;
  }

  readWord(id: number, joined: boolean): void {
    const prev = this.readPrev;
    this.readPrev = id;
    if (id === NOT_A_TERM) return;
    this.lastLength++;
    if (id < 0) return;
    const u = this.unigram[id]!;
    if (u >= 0) this.count(u, this.readValue, this.stamp);
    if (joined && prev >= 0 && this.startsPhrase[prev] === 1) {
      const bg = this.bigram.get(prev, id);
      if (bg >= 0) this.count(bg, this.readValue, this.stamp);
    }
  }

  endPaper(title: string, abstract: string): void {
    this.lastTitle = title;
    this.lastAbstract = abstract;
  }

  /** Collects the paper's features in `touched` (with their values) and returns its length in words. */
  private collect(title: string, abstract: string): number {
    if (title === this.lastTitle && abstract === this.lastAbstract) return this.lastLength;
    if (++this.stamp > 0x3fffffff) {
      this.seen.fill(0);
      this.stamp = 1;
    }
    const stamp = this.stamp;
    this.touchedCount = 0;
    let length = 0;
    const memo = this.memo;
    for (let field = 0; field < 2; field++) {
      const text = field === 0 ? title : abstract;
      const v = field === 0 ? 2 : 1;
      const n = text.length;
      let prev = NOT_A_TERM;
      let start = -1;
      let joined = false;
      let a = 0;
      let b = 0;
      // One pass over the characters, hashing each word as it goes (as the keyword scanner does): no string per word.
      for (let i = 0; i <= n; i++) {
        const raw = i < n ? text.charCodeAt(i) : 32;
        const c = FOLD[raw]!;
        if (c !== 0) {
          if (start < 0) {
            start = i;
            a = 0;
            b = 0x811c9dc5 | 0;
          }
          a = (Math.imul(a, 31) + c) | 0;
          b = Math.imul(b ^ c, 0x01000193);
          continue;
        }
        if (start >= 0) {
          const id = memo.get(a, b, text, start, i);
          if (id === NOT_A_TERM) prev = NOT_A_TERM;
          else {
            length++;
            if (id >= 0) {
              const u = this.unigram[id]!;
              if (u >= 0) this.count(u, v, stamp);
              if (joined && prev >= 0 && this.startsPhrase[prev] === 1) {
                const bg = this.bigram.get(prev, id);
                if (bg >= 0) this.count(bg, v, stamp);
              }
            }
            prev = id;
          }
          start = -1;
          joined = true;
        }
        if (!joins(raw)) joined = false;
      }
    }
    this.lastTitle = title;
    this.lastAbstract = abstract;
    this.lastLength = length;
    return length;
  }

  private count(f: number, v: number, stamp: number): void {
    if (this.seen[f] !== stamp) {
      this.seen[f] = stamp;
      this.value[f] = v;
      this.touched[this.touchedCount++] = f;
    }
  }

  /** Every field's score for a paper. */
  scores(paper: { title: string; abstract: string }): FieldScores {
    const scale = lengthScale(this.collect(paper.title, paper.abstract));
    const fieldCount = this.fields.length;
    const sums = this.sums;
    const code = this.weightCode;
    const weight = this.weightOf;
    const value = this.value;
    const touched = this.touched;
    const nt = this.touchedCount;
    // Eight fields a pass, each summed in a local (a register), not in memory: measured about twice as fast
    // as four fields a step through the array. Each field's sum still adds its terms in touched order from
    // 0, so every score is the same double as before (a missing weight adds 0 × value, which changes nothing).
    let k = 0;
    for (; k + 8 <= fieldCount; k += 8) {
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let s4 = 0;
      let s5 = 0;
      let s6 = 0;
      let s7 = 0;
      for (let t = 0; t < nt; t++) {
        const f = touched[t]!;
        const v = value[f]!;
        const j = f * fieldCount + k;
        s0 += weight[code[j]!]! * v;
        s1 += weight[code[j + 1]!]! * v;
        s2 += weight[code[j + 2]!]! * v;
        s3 += weight[code[j + 3]!]! * v;
        s4 += weight[code[j + 4]!]! * v;
        s5 += weight[code[j + 5]!]! * v;
        s6 += weight[code[j + 6]!]! * v;
        s7 += weight[code[j + 7]!]! * v;
      }
      sums[k] = s0;
      sums[k + 1] = s1;
      sums[k + 2] = s2;
      sums[k + 3] = s3;
      sums[k + 4] = s4;
      sums[k + 5] = s5;
      sums[k + 6] = s6;
      sums[k + 7] = s7;
    }
    for (; k < fieldCount; k++) {
      let s = 0;
      for (let t = 0; t < nt; t++) {
        const f = touched[t]!;
        s += weight[code[f * fieldCount + k]!]! * value[f]!;
      }
      sums[k] = s;
    }
    const score: number[] = [];
    const hit: boolean[] = [];
    for (let k = 0; k < fieldCount; k++) {
      const x = this.fields[k]!.bias + sums[k]! * scale;
      score.push(x);
      hit.push(x >= this.fields[k]!.threshold);
    }
    return { score, hit };
  }

  /**
   * The terms that pushed a paper into field `k`, strongest first: the words an explanation names. A phrase
   * hides its own words ("autonomous driving", not also "driving"), so a reader sees each idea once.
   */
  contributions(paper: { title: string; abstract: string }, k: number, limit = 40): Contribution[] {
    const n = this.rankContributions(paper, k, limit);
    const out: Contribution[] = [];
    for (let i = 0; i < n; i++) {
      const f = this.order[i]!;
      out.push({ term: this.termOfFeature[f]!, spelling: this.spellingOfFeature[f]!, points: this.points[f]! });
    }
    return out;
  }

  /** The first `count` spellings of contributions(paper, k): what a field placement names, without the objects. */
  topSpellings(paper: { title: string; abstract: string }, k: number, count: number): string[] {
    if (this.packedKeys) return this.topSpellingsFast(paper, k, count);
    const n = this.rankContributions(paper, k, 40);
    const out: string[] = [];
    for (let i = 0; i < n && i < count; i++) out.push(this.spellingOfFeature[this.order[i]!]!);
    return out;
  }

  /** Term f's points for field k in cents, as an explanation rounds them; -1 when its weight there is not positive. */
  private centsFor(f: number, k: number): number {
    const code = this.weightCode[f * this.fields.length + k]!;
    const w = this.weightOf[code]!;
    if (!(w > 0)) return -1;
    const v = this.value[f]!;
    return v === 1 || v === 2 ? this.centsOf[2 * code + v - 1]! : Math.round(w * v * 100);
  }

  /** A fresh stamp for phraseSeen: older stamps count as unseen. */
  private nextPhraseStamp(): number {
    if (++this.phraseStamp > 0x3fffffff) {
      this.phraseSeen.fill(0);
      this.phraseStamp = 1;
    }
    return this.phraseStamp;
  }

  /** A listed phrase f with these points: each of its words remembers the strongest phrase holding it. */
  private markPhrase(f: number, points: number, stamp: number): void {
    for (let side = 0; side < 2; side++) {
      const u = this.partUnigram[2 * f + side]!;
      if (u < 0) continue;
      if (this.phraseSeen[u] !== stamp) {
        this.phraseSeen[u] = stamp;
        this.phraseMax[u] = 0;
      }
      this.phraseMax[u] = Math.max(this.phraseMax[u]!, points);
    }
  }

  /** A word is left out when a listed phrase holding it has at least half its points. */
  private hidden(f: number, points: number, stamp: number): boolean {
    return this.isPhrase[f] === 0 && !((this.phraseSeen[f] === stamp ? this.phraseMax[f]! : 0) < points / 2);
  }

  /**
   * topSpellings() for the few words a placement names: the 40 strongest terms as a set (Wirth's selection, no
   * sort), the phrases among them for hiding, then the strongest of the set one at a time until `count` words
   * are named. The same words as the first `count` of contributions(paper, k), for a fraction of the sorting.
   */
  private topSpellingsFast(paper: { title: string; abstract: string }, k: number, count: number): string[] {
    const limit = 40;
    this.collect(paper.title, paper.abstract);
    const keys = this.keys;
    const ranks = this.ranks;
    const rank = this.termRank;
    const touched = this.touched;
    let m = 0;
    for (let t = 0, nt = this.touchedCount; t < nt; t++) {
      const f = touched[t]!;
      const cents = this.centsFor(f, k);
      if (cents >= 0) keys[m++] = cents * ranks + (ranks - 1 - rank[f]!);
    }
    if (m > limit) selectLargest(keys, m, limit - 1);
    const top = Math.min(m, limit);
    // Each word → the strongest phrase of the set it is part of.
    const stamp = this.nextPhraseStamp();
    for (let i = 0; i < top; i++) {
      const cents = Math.floor(keys[i]! / ranks);
      const f = this.featureOfRank[ranks - 1 - (keys[i]! - cents * ranks)]!;
      this.markPhrase(f, cents / 100, stamp);
    }
    const out: string[] = [];
    for (let left = top; left > 0 && out.length < count; left--) {
      // The strongest key left moves to the end of what is left.
      let best = 0;
      for (let i = 1; i < left; i++) if (keys[i]! > keys[best]!) best = i;
      const key = keys[best]!;
      keys[best] = keys[left - 1]!;
      keys[left - 1] = key;
      const cents = Math.floor(key / ranks);
      const f = this.featureOfRank[ranks - 1 - (key - cents * ranks)]!;
      if (!this.hidden(f, cents / 100, stamp)) out.push(this.spellingOfFeature[f]!);
    }
    return out;
  }

  /**
   * Fills `order` with contributions(paper, k, limit)'s features (points in `points`) and returns how many.
   * An explanation's full list (a placement's few words take topSpellingsFast). No objects and no comparator:
   * each contribution becomes one number, cents × ranks + (ranks - 1 - term rank), larger exactly when it comes
   * first (points down, then term), kept in a list of the `limit` largest by insertion (the order is total, so
   * this is the full sort's start).
   */
  private rankContributions(paper: { title: string; abstract: string }, k: number, limit: number): number {
    this.collect(paper.title, paper.abstract);
    const order = this.order;
    const points = this.points;
    const rank = this.termRank;
    const keys = this.keys;
    const ranks = this.ranks;
    let m = 0;
    const touched = this.touched;
    for (let t = 0, nt = this.touchedCount; t < nt; t++) {
      const f = touched[t]!;
      const cents = this.centsFor(f, k);
      if (cents < 0) continue;
      if (!this.packedKeys) {
        points[f] = cents / 100;
        order[m++] = f;
        continue;
      }
      // Insertion into the `limit` largest keys so far, largest first: one number compared a step.
      const key = cents * ranks + (ranks - 1 - rank[f]!);
      if (m === limit && !(key > keys[m - 1]!)) continue;
      let i = m < limit ? m++ : m - 1;
      for (; i > 0 && keys[i - 1]! < key; i--) keys[i] = keys[i - 1]!;
      keys[i] = key;
    }
    if (this.packedKeys) {
      // The key holds the cents exactly (ranks is a power of two): points only for the features kept.
      for (let i = 0; i < m; i++) {
        const cents = Math.floor(keys[i]! / ranks);
        const f = this.featureOfRank[ranks - 1 - (keys[i]! - cents * ranks)]!;
        order[i] = f;
        points[f] = cents / 100;
      }
    } else order.subarray(0, m).sort((a, b) => points[b]! - points[a]! || rank[a]! - rank[b]!);
    if (m > limit) m = Math.max(0, limit);
    // Each word → the strongest phrase (among the first `limit`) it is part of.
    const stamp = this.nextPhraseStamp();
    for (let i = 0; i < m; i++) this.markPhrase(order[i]!, points[order[i]!]!, stamp);
    let kept = 0;
    for (let i = 0; i < m; i++) {
      const f = order[i]!;
      if (!this.hidden(f, points[f]!, stamp)) order[kept++] = f;
    }
    return kept;
  }
}

/**
 * Reorders keys[0, n) so that keys[0, kth] are its kth + 1 largest, keys[kth] the smallest of them (Wirth's
 * selection; the keys are distinct).
 */
function selectLargest(keys: Float64Array, n: number, kth: number): void {
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const x = keys[kth]!;
    let i = lo;
    let j = hi;
    do {
      while (keys[i]! > x) i++;
      while (x > keys[j]!) j--;
      if (i <= j) {
        const t = keys[i]!;
        keys[i] = keys[j]!;
        keys[j] = t;
        i++;
        j--;
      }
    } while (i <= j);
    if (j < kth) lo = i;
    if (kth < i) hi = j;
  }
}

const EMPTY = -3;
// Past this many distinct words the memo starts afresh: memory stays bounded on endless input.
const MAX_WORDS = 1 << 20;

/**
 * Word → value, keyed by two 32-bit hashes computed while scanning (the technique of words.ts's WordTable):
 * a word already seen costs no string. Two words agreeing on all 64 bits are as likely as not once in
 * billions of vocabularies.
 */
class WordMemo {
  private h1 = new Int32Array(0);
  private h2 = new Int32Array(0);
  private values = new Int32Array(0);
  private mask = 0;
  private size = 0;

  constructor(private readonly compute: (word: string) => number) {
    this.reset(1 << 15);
  }

  get(a: number, b: number, text: string, start: number, end: number): number {
    let slot = this.find(a, b);
    if (this.values[slot] !== EMPTY) return this.values[slot]!;
    if (this.size >= MAX_WORDS) this.reset(this.values.length);
    else if (this.size * 2 >= this.values.length) this.rehash();
    slot = this.find(a, b);
    const value = this.compute(text.slice(start, end));
    this.h1[slot] = a;
    this.h2[slot] = b;
    this.values[slot] = value;
    this.size++;
    return value;
  }

  private find(a: number, b: number): number {
    let h = Math.imul(a ^ (a >>> 16), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    for (let slot = (h ^ (h >>> 16)) & this.mask; ; slot = (slot + 1) & this.mask) {
      if (this.values[slot] === EMPTY || (this.h1[slot] === a && this.h2[slot] === b)) return slot;
    }
  }

  private reset(capacity: number): void {
    this.h1 = new Int32Array(capacity);
    this.h2 = new Int32Array(capacity);
    this.values = new Int32Array(capacity).fill(EMPTY);
    this.mask = capacity - 1;
    this.size = 0;
  }

  private rehash(): void {
    const { h1, h2, values } = this;
    this.reset(values.length * 2);
    for (let i = 0; i < values.length; i++) {
      if (values[i] === EMPTY) continue;
      const slot = this.find(h1[i]!, h2[i]!);
      this.h1[slot] = h1[i]!;
      this.h2[slot] = h2[i]!;
      this.values[slot] = values[i]!;
      this.size++;
    }
  }
}

/** The model shipped with paperboy (src/topics/model/fields.json), read on first use. */
export const SHIPPED_MODEL = new URL('./model/fields.json', import.meta.url);

const cache = new Map<string, FieldModel>();

export function loadFieldModel(path: URL | string = SHIPPED_MODEL): FieldModel {
  const key = String(path);
  let model = cache.get(key);
  if (!model) {
    let file: ModelFile;
    try {
      file = JSON.parse(readFileSync(path, 'utf8')) as ModelFile;
    } catch (err) {
      throw configError(`topic model ${key} cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); rebuild it with npm run topics:train`);
    }
    cache.set(key, (model = new FieldModel(file)));
  }
  return model;
}
