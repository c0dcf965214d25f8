// Trending keywords: word n-grams far more frequent in an edition than in the stored history (TF-IDF style).
import type { TrendingKeyword } from '../domain.ts';
import type { CompiledTopics } from './rules.ts';
import { gatherEvidence } from './classify.ts';

// English stop words plus the boilerplate of abstracts: none of them makes a phrase worth showing.
const STOP = new Set(
  `a about above after again against all also although among an and any are as at be because been before being below between both
  but by can could did do does doing done down during each either et etc few for from further had has have having here how however
  i if in into is it its itself just least less may might more most much must no nor not now of off on once only or other our ours
  out over own per rather same several she should since so some such than that the their them then there these they this those
  through thus to too under until up upon us use used uses using very via was we were what when where whether which while who whom
  why will with within without would yet you your new novel propose proposed proposes present presents paper work approach approaches
  method methods result results show shows shown demonstrate demonstrates experiment experiments experimental extensive existing
  based significantly significant performance improve improves improved improvement achieve achieves achieving effective
  effectively efficient large small first second one two three code available https github com http www model models task tasks state-of-the-art
  data study framework introduce introduces different various well key across further make makes remain remains including include`.split(/\s+/),
);

const MAX_N = 3;

/** Distinct n-grams (1–3 words) of a paper, lowercase, not starting or ending with a stop word. */
export function ngrams(text: string): Set<string> {
  const words = text.toLowerCase().match(/[\p{L}\p{N}][\p{L}\p{N}'-]*[\p{L}\p{N}]|[\p{L}]/gu) ?? [];
  const out = new Set<string>();
  for (let i = 0; i < words.length; i++) {
    for (let n = 1; n <= MAX_N && i + n <= words.length; n++) {
      const first = words[i]!;
      const last = words[i + n - 1]!;
      if (STOP.has(first) || STOP.has(last)) continue;
      if (n === 1 && (first.length < 4 || /^\d/.test(first))) continue;
      if (/^\d+$/.test(last)) continue;
      out.add(words.slice(i, i + n).join(' '));
    }
  }
  return out;
}

export interface Background {
  docs: number;
  df: Map<string, number>;
}

export function buildBackground(docs: { title: string; abstract: string }[]): Background {
  const df = new Map<string, number>();
  for (const d of docs) for (const g of ngrams(`${d.title}. ${d.abstract}`)) df.set(g, (df.get(g) ?? 0) + 1);
  return { docs: docs.length, df };
}

/** Papers of history needed before anything can trend. */
export const MIN_HISTORY = 20;

/** A phrase must be this many times more common in the edition than in history to trend. */
const LIFT = 2;

export function trendingKeywords(edition: { title: string; abstract: string }[], background: Background, limit = 10): TrendingKeyword[] {
  // Without a history nothing can be "more than usual"; frequency alone would crown "training" and "language".
  if (edition.length === 0 || background.docs < MIN_HISTORY) return [];
  const counts = buildBackground(edition).df;
  // At least two papers, and at least 2% of a big edition, so one paper's pet phrase never trends.
  const minCount = Math.max(2, Math.ceil(edition.length * 0.02));
  const scored: TrendingKeyword[] = [];
  for (const [phrase, count] of counts) {
    if (count < minCount) continue;
    const rate = count / edition.length;
    // Laplace-smoothed history rate, so a phrase never seen before has a small, finite base.
    const base = ((background.df.get(phrase) ?? 0) + 1) / (background.docs + 2);
    if (rate < LIFT * base) continue;
    const words = phrase.split(' ').length;
    // Longer phrases say more; log-lift rewards novelty; rate rewards support.
    const score = rate * Math.log2(1 + rate / base) * (1 + 0.5 * (words - 1));
    scored.push({ phrase, count, score: Math.round(score * 1000) / 1000 });
  }
  scored.sort((a, b) => b.score - a.score || a.phrase.localeCompare(b.phrase));
  // Prefer a phrase over its parts (and over longer phrases that add nothing) when the support is the same.
  const kept: TrendingKeyword[] = [];
  for (const k of scored) {
    if (kept.length >= limit) break;
    const overlaps = kept.some((o) => (o.phrase.includes(k.phrase) || k.phrase.includes(o.phrase)) && Math.abs(o.count - k.count) <= Math.max(1, o.count * 0.2));
    if (!overlaps) kept.push(k);
  }
  return kept;
}

/** Trending phrases no topic rule matches: hints for what topics.yaml is missing. */
export function uncoveredKeywords(trending: TrendingKeyword[], topics: CompiledTopics): TrendingKeyword[] {
  return trending.filter((k) => gatherEvidence({ title: k.phrase, abstract: '' }, topics).size === 0);
}
