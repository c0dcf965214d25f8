// Paper → topics with scores and matched keywords: title hits weigh more, one passing mention is not enough.
import { OTHER_TOPIC, type Classification, type TopicMatch } from '../domain.ts';
import type { CompiledTopics, KeywordMatcher } from './rules.ts';
import { stem, words, type Tokens } from './text.ts';

/** A keyword in the title is strong evidence; in the abstract, weaker, with diminishing returns. */
export const TITLE_WEIGHT = 3;
export const ABSTRACT_WEIGHT = 1;
const ABSTRACT_REPEAT_WEIGHT = 0.5;
/** One title hit, or an abstract that keeps returning to the subject: never one passing mention. */
export const THRESHOLD = 3;
/** The primary topic plus at most two "also in". */
export const MAX_TOPICS = 3;

export interface KeywordHit {
  label: string;
  title: number;
  abstract: number;
}

export interface TopicEvidence {
  index: number;
  hits: Map<string, KeywordHit>;
  excludedBy: string[];
}

function matchesAt(tokens: Pick<Tokens, "raw">, i: number, k: KeywordMatcher): boolean {
  if (i + k.stems.length > tokens.raw.length) return false;
  for (let j = 0; j < k.stems.length; j++) {
    const exact = k.exact[j];
    const raw = tokens.raw[i + j];
    // Acronyms are exact, but take a plural: LLM matches LLMs.
    if (exact != null ? raw !== exact && raw !== k.exactPlural[j] : stem(raw!) !== k.stems[j]) return false;
  }
  return true;
}

type Candidates = CompiledTopics['index'] extends Map<string, infer V> ? V : never;

/**
 * Word as written → the keywords its stem starts, memoized per compiled topics: one map lookup per word
 * of a paper instead of stemming every word (the vocabulary is tiny next to the word count).
 */
const lookups = new WeakMap<CompiledTopics, Map<string, Candidates | null>>();

function candidatesFor(topics: CompiledTopics, word: string): Candidates | null {
  let memo = lookups.get(topics);
  if (!memo) lookups.set(topics, (memo = new Map()));
  let hit = memo.get(word);
  if (hit === undefined) {
    if (memo.size >= 500_000) memo.clear();
    hit = topics.index.get(stem(word)) ?? null;
    memo.set(word, hit);
  }
  return hit;
}

function scan(tokens: Pick<Tokens, "raw">, topics: CompiledTopics, field: 'title' | 'abstract', evidence: Map<number, TopicEvidence>): void {
  const words = tokens.raw;
  for (let i = 0; i < words.length; i++) {
    const candidates = candidatesFor(topics, words[i]!);
    if (candidates) consider(candidates, tokens, i, field, evidence);
  }
}

function consider(
  candidates: Candidates,
  tokens: Pick<Tokens, "raw">,
  i: number,
  field: 'title' | 'abstract',
  evidence: Map<number, TopicEvidence>,
): void {
  for (const c of candidates) {
    if (!matchesAt(tokens, i, c.keyword)) continue;
    let e = evidence.get(c.topic);
    if (!e) evidence.set(c.topic, (e = { index: c.topic, hits: new Map(), excludedBy: [] }));
    if (c.exclude) {
      if (!e.excludedBy.includes(c.keyword.label)) e.excludedBy.push(c.keyword.label);
      continue;
    }
    let hit = e.hits.get(c.keyword.label);
    if (!hit) e.hits.set(c.keyword.label, (hit = { label: c.keyword.label, title: 0, abstract: 0 }));
    hit[field]++;
  }
}

/** All the evidence for a paper, before thresholds: what explanations show. */
export function gatherEvidence(paper: { title: string; abstract: string }, topics: CompiledTopics): Map<number, TopicEvidence> {
  const evidence = new Map<number, TopicEvidence>();
  scan(words(paper.title), topics, 'title', evidence);
  scan(words(paper.abstract), topics, 'abstract', evidence);
  topics.compiled.forEach((topic, index) => {
    for (const { label, re } of topic.regexes) {
      const inTitle = re.test(paper.title) ? 1 : 0;
      const inAbstract = re.test(paper.abstract) ? 1 : 0;
      if (!inTitle && !inAbstract) continue;
      const e: TopicEvidence = evidence.get(index) ?? { index, hits: new Map(), excludedBy: [] };
      e.hits.set(label, { label, title: inTitle, abstract: inAbstract });
      evidence.set(index, e);
    }
  });
  return evidence;
}

export const hitScore = (h: KeywordHit) =>
  (h.title > 0 ? TITLE_WEIGHT : 0) + (h.abstract > 0 ? ABSTRACT_WEIGHT + (h.abstract > 1 ? ABSTRACT_REPEAT_WEIGHT : 0) : 0);

export function scoreEvidence(e: TopicEvidence): number {
  if (e.excludedBy.length > 0) return 0;
  let score = 0;
  for (const h of e.hits.values()) score += hitScore(h);
  return score;
}

export function classify(paper: { title: string; abstract: string }, topics: CompiledTopics): Classification {
  const matches: (TopicMatch & { index: number })[] = [];
  for (const e of gatherEvidence(paper, topics).values()) {
    const score = scoreEvidence(e);
    if (score < THRESHOLD) continue;
    const keywords = [...e.hits.values()].sort((a, b) => hitScore(b) - hitScore(a) || a.label.localeCompare(b.label)).map((h) => h.label);
    matches.push({ slug: topics.compiled[e.index]!.slug, score, keywords, index: e.index });
  }
  // Highest score first; ties go to the topic listed first in topics.yaml, so results are deterministic.
  matches.sort((a, b) => b.score - a.score || a.index - b.index);
  const top = matches.slice(0, MAX_TOPICS).map(({ slug, score, keywords }) => ({ slug, score, keywords }));
  return { primary: top[0]?.slug ?? OTHER_TOPIC, topics: top };
}
