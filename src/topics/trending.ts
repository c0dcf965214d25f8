// Trending keywords: word n-grams far more common in an edition than in the stored history (TF-IDF style).
import type { TrendingKeyword } from '../domain.ts';
import { gatherEvidence } from './classify.ts';
import type { CompiledTopics } from './rules.ts';
import { stemWord } from './text.ts';

type Doc = { title: string; abstract: string };

// Function words: a phrase never starts or ends with one (and never is one).
const STOP = new Set(
  `a about above across after again against all almost along also although always am among an and another any are around as at
  be because been before beyond being below between both but by can cannot could did do does doing done down during each either else
  et etc even ever every few for from further had has have having he her here hers him his how however i if in into is it its
  itself just least less let like many may me might more most much must my neither no nor not now of off often on once one only
  onto or other others otherwise our ours out over own per perhaps rather same several she should since so some such than that
  the their theirs them themselves then there thereby therefore these they this those though through throughout thus to too
  toward towards under unless until up upon us very via was we well were what whatever when where whereas whether which while
  who whom whose why will with within without would yet you your i.e e.g vs versus`.split(/\s+/),
);

// Words of abstracts' boilerplate: never a trending word on their own, never at the edge of a phrase.
const BORING = new Set(
  `propose proposes proposed present presents presented introduce introduces introduced paper papers work works study studies
  approach approaches method methods result results show shows shown showing demonstrate demonstrates demonstrated experiment
  experiments experimental extensive existing novel new significant significantly improve improves improved improving
  improvement improvements achieve achieves achieved achieving effective effectively efficient efficiently performance
  state-of-the-art sota outperform outperforms outperforming baseline baselines various different key first second third two three four five large small high low better best good strong
  simple simply based using use used uses make makes made remain remains including include includes across recent recently
  however furthermore moreover additionally specifically particular particularly code available github https http www com
  org problem problems challenge challenges challenging important crucial key wide widely range number way ways enable
  enables enabling allow allows provide provides providing further able ability abilities capability capabilities
  comprehensive respectively substantial substantially consistently consistent compared comparable leading lead leads
  trained learned deep advancement advancements advance advances costly realistic individual downstream format online
  solving solve solves risk risks paradigm paradigms manner settings setting scenario scenarios aspect aspects insight
  insights potential typically usually notably largely mainly due great greatly prior previous previously typical
  standard common commonly general generally cover covers covering covered overall whole entire`.split(/\s+/),
);

// Words too general to trend alone that still make up phrases ("language model", "learning rate", "data selection").
const GENERIC = new Set(
  `model models data task tasks network networks learning training train method methods system systems framework
  representation representations modeling neural image images text language generation inference quality
  function functions algorithm algorithms process processes space spaces structure structures`.split(/\s+/),
);

// Words with letters, digits, inner hyphens and apostrophes: "fine-tuning" and "state-of-the-art" stay whole.
const WORD = /[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu;
// Phrases never cross punctuation: a sentence end or a comma is not the middle of a phrase.
const BREAK = /[.,;:!?()[\]{}"“”|/]+|\s[-–—]\s/;
// Phrases of one to four words: "multimodal large language models" is one idea, not three words and a tail.
const MAX_N = 4;

const isStop = (lower: string) => lower.length < 2 || (lower.charCodeAt(0) >= 48 && lower.charCodeAt(0) <= 57) || STOP.has(lower);
const isEdge = (lower: string) => isStop(lower) || BORING.has(lower);

/** How a word is shown: Title-Case words lowercased (titles capitalise everything), acronyms (LLM, MoE) kept. */
const display = (word: string) =>
  word
    .split(/(['’-])/)
    .map((part) => (/^\p{Lu}[\p{Ll}\p{N}]*$/u.test(part) ? part.toLowerCase() : part))
    .join('');

// Stemming is the slow part of reading a history: each distinct word is stemmed once (bounded memo).
const stems = new Map<string, string>();
function stemKey(lower: string): string {
  let s = stems.get(lower);
  if (s === undefined) {
    if (stems.size >= 200_000) stems.clear();
    const st = stemWord(lower);
    stems.set(lower, (s = st.agent ?? st.base));
  }
  return s;
}

/**
 * Calls `add(key, i, n)` for every phrase of a document: the key joins stems, so "diffusion models" and
 * "diffusion model" are one phrase; i and n locate the words in `raw`.
 */
function eachPhrase(doc: Doc, add: (key: string, raw: string[], i: number, n: number) => void): void {
  for (const segment of `${doc.title}\n.${doc.abstract}`.split(BREAK)) {
    const raw = segment.match(WORD) ?? [];
    const lower = raw.map((w) => w.toLowerCase());
    const keys = lower.map(stemKey);
    for (let i = 0; i < raw.length; i++) {
      if (isEdge(lower[i]!)) continue;
      for (let n = 1; n <= MAX_N && i + n <= raw.length; n++) {
        const last = lower[i + n - 1]!;
        if (isStop(last)) break; // no phrase runs through a function word ("model of the")
        if (isEdge(last)) continue;
        // A single general or short lowercase word ("model", "map") says little; acronyms (RAG, MoE) do.
        if (n === 1 && (GENERIC.has(lower[i]!) || (raw[i]!.length < 4 && raw[i] === lower[i]))) continue;
        add(n === 1 ? keys[i]! : n === 2 ? `${keys[i]} ${keys[i + 1]}` : keys.slice(i, i + n).join(' '), raw, i, n);
      }
    }
  }
}

/** The distinct phrase keys of a document (what the history needs). */
function phraseKeys(doc: Doc): Set<string> {
  const out = new Set<string>();
  eachPhrase(doc, (key) => out.add(key));
  return out;
}

/** A document's phrase keys → how often each spelling appears (what an edition needs, for display). */
function phrases(doc: Doc): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  eachPhrase(doc, (key, raw, i, n) => {
    const spelling = n === 1 ? display(raw[i]!) : raw.slice(i, i + n).map(display).join(' ');
    const seen = out.get(key) ?? new Map<string, number>();
    seen.set(spelling, (seen.get(spelling) ?? 0) + 1);
    out.set(key, seen);
  });
  return out;
}

/** How many documents of the history hold each phrase: computed once, reused for every edition. */
export interface Background {
  docs: number;
  df: Map<string, number>;
}

export function buildBackground(docs: Doc[]): Background {
  const df = new Map<string, number>();
  for (const d of docs) for (const key of phraseKeys(d)) df.set(key, (df.get(key) ?? 0) + 1);
  return { docs: docs.length, df };
}

/** Papers of history needed before anything can be "more common than usual". */
export const MIN_HISTORY = 20;
/** A phrase must be at least this many times more common in the edition than in the history. */
const LIFT = 2;
/** A sub-phrase is dropped when a longer phrase holding it has at least this share of its papers. */
const SAME_SUPPORT = 0.8;

/**
 * The edition's trending phrases, best first (score, then phrase). Score: the phrase's share of the
 * edition times the log of how much more common it is than in the history (a KL-divergence term), so a
 * phrase must be both frequent now and rare before. Needs two papers of the edition; a phrase beats its
 * own words when they are about equally supported ("state space duality" over "state space", "duality").
 */
export function trendingKeywords(edition: Doc[], background: Background, limit = 10): TrendingKeyword[] {
  // Without a history nothing can be "more than usual"; frequency alone would crown "language model".
  if (edition.length === 0 || background.docs < MIN_HISTORY || limit <= 0) return [];
  const count = new Map<string, number>();
  const spellings = new Map<string, Map<string, number>>();
  for (const doc of edition) {
    for (const [key, seen] of phrases(doc)) {
      count.set(key, (count.get(key) ?? 0) + 1);
      const all = spellings.get(key) ?? new Map<string, number>();
      for (const [spelling, n] of seen) all.set(spelling, (all.get(spelling) ?? 0) + n);
      spellings.set(key, all);
    }
  }
  // At least two papers, and 1% of a big edition, so one paper's pet phrase never trends.
  const minCount = Math.max(2, Math.ceil(edition.length * 0.01));
  const candidates = [...count].filter(([, c]) => c >= minCount);

  // Longer phrases claim the support of the phrases inside them.
  const bestSuper = new Map<string, number>();
  for (const [key, c] of candidates) {
    const words = key.split(' ');
    for (let len = 1; len < words.length; len++) {
      for (let i = 0; i + len <= words.length; i++) {
        const sub = words.slice(i, i + len).join(' ');
        bestSuper.set(sub, Math.max(bestSuper.get(sub) ?? 0, c));
      }
    }
  }

  const scored: TrendingKeyword[] = [];
  for (const [key, c] of candidates) {
    if ((bestSuper.get(key) ?? 0) >= SAME_SUPPORT * c) continue;
    const rate = c / edition.length;
    // Smoothed history rate: a phrase never seen before gets a small, finite base.
    const base = ((background.df.get(key) ?? 0) + 0.5) / (background.docs + 1);
    if (rate < LIFT * base) continue;
    // Single words count three quarters: a phrase says more than the words it is made of.
    const weight = key.includes(' ') ? 1 : 0.75;
    const score = Math.round(weight * rate * Math.log2(rate / base) * 1000) / 1000;
    scored.push({ phrase: mostCommon(spellings.get(key)!), count: c, score });
  }
  scored.sort((a, b) => b.score - a.score || (a.phrase < b.phrase ? -1 : a.phrase > b.phrase ? 1 : 0));
  return scored.slice(0, limit);
}

/** The spelling most papers used; ties to the first in code-point order, so output is deterministic. */
function mostCommon(spellings: Map<string, number>): string {
  let best = '';
  let n = -1;
  for (const [s, c] of spellings) if (c > n || (c === n && s < best)) [best, n] = [s, c];
  return best;
}

/** Trending phrases no topic keyword matches: hints for what topics.yaml is missing. */
export function uncoveredKeywords(trending: TrendingKeyword[], topics: CompiledTopics): TrendingKeyword[] {
  return trending.filter((k) => gatherEvidence({ title: k.phrase, abstract: '' }, topics).hits.length === 0);
}
