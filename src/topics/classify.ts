// Paper → topics with scores and matched keywords: title hits weigh more, one passing mention is not enough.
import { OTHER_TOPIC, type Classification, type TopicMatch } from '../domain.ts';
import type { Candidate, CompiledTopics } from './rules.ts';
import { WordBuffer, WordTable, isSpelled } from './words.ts';

/** A keyword in the title is strong evidence; in the abstract, weaker, and repeats add little. */
export const TITLE_POINTS = 3;
export const ABSTRACT_POINTS = 1;
export const ABSTRACT_REPEAT_POINTS = 0.5;
/** However often an abstract repeats a keyword, it is worth at most a title mention. */
export const ABSTRACT_MAX_POINTS = 3;
/** One title hit, or an abstract that keeps returning to the subject: never one passing mention. */
export const THRESHOLD = 3;
/** The primary topic plus at most two "also in". */
export const MAX_TOPICS = 3;
/** Abstracts longer than this many words count for less (by √(this/words)), so length alone never wins. */
export const ABSTRACT_WORDS = 250;

/** How often one keyword entry (all its synonyms together) matched, and which spellings did. */
export interface KeywordHit {
  group: number;
  title: number;
  abstract: number;
  spellings: string[];
}

export interface Evidence {
  hits: KeywordHit[];
  /** Topic index → the exclude keywords that fired for it. */
  excluded: Map<number, string[]>;
  abstractWords: number;
}

export interface TopicScore {
  topic: number;
  score: number;
  /** Strongest first. */
  hits: KeywordHit[];
  excludedBy: string[];
}

type Field = 'title' | 'abstract';

/** Per compiled topics: the word memo and scratch space reused across papers (classification is synchronous). */
class Matcher {
  readonly table: WordTable;
  readonly words = new WordBuffer();
  /** Group → its hit in the current paper, valid when `hitStamp` holds the paper's stamp. */
  readonly hitOf: (KeywordHit | undefined)[];
  readonly hitStamp: Int32Array;
  /** Topic → word index up to which a longer keyword has claimed the words, valid for `coverStamp`. */
  readonly coverUntil: Int32Array;
  readonly coverStamp: Int32Array;
  /** Topic → its score in the current paper, valid for `scoreStamp`. */
  readonly score: Float64Array;
  readonly scoreStamp: Int32Array;
  stamp = 0;

  constructor(readonly topics: CompiledTopics) {
    this.table = new WordTable(topics.vocab);
    this.hitOf = new Array(topics.groups.length);
    this.hitStamp = new Int32Array(topics.groups.length);
    this.coverUntil = new Int32Array(topics.topics.length);
    this.coverStamp = new Int32Array(topics.topics.length);
    this.score = new Float64Array(topics.topics.length);
    this.scoreStamp = new Int32Array(topics.topics.length);
  }

  /** A fresh stamp; the scratch arrays hold values of older stamps, which thereby count as empty. */
  next(): number {
    if (this.stamp >= 0x3fffffff) {
      // Stamps live in Int32Arrays: start over long before they would wrap.
      for (const a of [this.hitStamp, this.coverStamp, this.scoreStamp]) a.fill(0);
      this.stamp = 0;
    }
    return ++this.stamp;
  }
}

const matchers = new WeakMap<CompiledTopics, Matcher>();

function matcherFor(topics: CompiledTopics): Matcher {
  let m = matchers.get(topics);
  if (!m) matchers.set(topics, (m = new Matcher(topics)));
  return m;
}

const NONE: Map<number, string[]> = new Map();

/** Everything that matched in a paper, before any threshold: what both classification and explanations use. */
export function gatherEvidence(paper: { title: string; abstract: string }, topics: CompiledTopics): Evidence {
  const m = matcherFor(topics);
  const ev: Evidence = { hits: [], excluded: NONE, abstractWords: 0 };
  const paperStamp = m.next();
  m.table.scan(paper.title, m.words);
  matchWords(m, paper.title, 'title', ev, paperStamp);
  m.table.scan(paper.abstract, m.words);
  ev.abstractWords = m.words.words;
  matchWords(m, paper.abstract, 'abstract', ev, paperStamp);
  for (const r of topics.regexes) {
    // The text a regex found is its spelling: readers see "attribution", never `/\battributions?\b/i`.
    const inTitle = r.re.exec(paper.title);
    const inAbstract = r.re.exec(paper.abstract);
    if (inTitle) record(m, ev, paperStamp, r.group, regexSpelling(inTitle[0], r.label), 'title');
    if (inAbstract) record(m, ev, paperStamp, r.group, regexSpelling(inAbstract[0], r.label), 'abstract');
  }
  return ev;
}

/**
 * What a regex matched, as a reader would write it: spacing folded, a capitalized word lowercased (acronyms
 * and inner capitals like "GPT-4" or "LLaMA" stay), and never longer than a phrase. An empty match (a regex
 * of lookarounds) falls back to the rule's label.
 */
export function regexSpelling(found: string, label: string): string {
  const t = found.replace(/\s+/g, ' ').trim().slice(0, 40).trim();
  if (t === '') return label;
  return /\p{Lu}/u.test(t.slice(1)) ? t : t.toLowerCase();
}

function matchWords(m: Matcher, text: string, field: Field, ev: Evidence, paperStamp: number): void {
  // Coverage is per field: a phrase in the title does not hide words of the abstract.
  const fieldStamp = m.next();
  const w = m.words;
  const index = m.topics.index;
  for (let i = 0; i < w.length; i++) {
    // The agent noun first: it is the more specific reading of the word ("server" before "serv-").
    for (let k = 0; k < 2; k++) {
      const id = k === 0 ? w.agent[i]! : w.base[i]!;
      if (id < 0) continue;
      const entry = index[id];
      if (entry === undefined) continue;
      if (entry.phrases !== null && i + 1 < w.length && w.ordinal[i + 1] === w.ordinal[i]! + 1) {
        const nextAgent = w.agent[i + 1]!;
        if (nextAgent >= 0) tryAll(entry.phrases.get(nextAgent), m, text, field, i, ev, paperStamp, fieldStamp);
        tryAll(entry.phrases.get(w.base[i + 1]!), m, text, field, i, ev, paperStamp, fieldStamp);
      }
      tryAll(entry.words, m, text, field, i, ev, paperStamp, fieldStamp);
    }
  }
}

function tryAll(
  list: Candidate[] | null | undefined,
  m: Matcher,
  text: string,
  field: Field,
  i: number,
  ev: Evidence,
  paperStamp: number,
  fieldStamp: number,
): void {
  if (list == null) return;
  for (const c of list) {
    if (c.titleOnly && field === 'abstract') continue;
    // Words already claimed by a longer keyword of the same topic do not count again.
    if (!c.exclude && m.coverStamp[c.topic] === fieldStamp && m.coverUntil[c.topic]! > i) continue;
    if (!matchesAt(c, text, m.words, i)) continue;
    if (c.exclude) {
      if (ev.excluded === NONE) ev.excluded = new Map();
      const fired = ev.excluded.get(c.topic) ?? [];
      if (!fired.includes(c.label)) fired.push(c.label);
      ev.excluded.set(c.topic, fired);
      continue;
    }
    m.coverStamp[c.topic] = fieldStamp;
    m.coverUntil[c.topic] = i + c.ids.length;
    if (!c.ignore) record(m, ev, paperStamp, c.group, c.label, field);
  }
}

function matchesAt(c: Candidate, text: string, w: WordBuffer, i: number): boolean {
  const n = c.ids.length;
  if (i + n > w.length) return false;
  const first = w.ordinal[i]!;
  for (let j = 1; j < n; j++) {
    const id = c.ids[j]!;
    if (w.ordinal[i + j] !== first + j || (w.base[i + j] !== id && w.agent[i + j] !== id)) return false;
  }
  for (let j = 0; j < n; j++) {
    const exact = c.exact[j];
    if (exact != null && !isSpelled(text, w.start[i + j]!, w.end[i + j]!, exact)) return false;
  }
  return true;
}

function record(m: Matcher, ev: Evidence, paperStamp: number, group: number, spelling: string, field: Field): void {
  let hit = m.hitStamp[group] === paperStamp ? m.hitOf[group] : undefined;
  if (hit === undefined) {
    hit = { group, title: 0, abstract: 0, spellings: [] };
    m.hitOf[group] = hit;
    m.hitStamp[group] = paperStamp;
    ev.hits.push(hit);
  }
  hit[field]++;
  if (!hit.spellings.includes(spelling)) hit.spellings.push(spelling);
}

/**
 * Points of one keyword entry: 3 if in the title, plus from the abstract 1 and 0.5 for each repeat, up to 3,
 * scaled for length. Repeats keep counting because an abstract that returns to a subject again and again
 * ("Mixtral of Experts" names its MoE five times) is about it, even when the title's words are new.
 */
export function hitPoints(hit: KeywordHit, abstractScale: number): number {
  const inAbstract = hit.abstract === 0 ? 0 : Math.min(ABSTRACT_MAX_POINTS, ABSTRACT_POINTS + (hit.abstract - 1) * ABSTRACT_REPEAT_POINTS);
  return (hit.title > 0 ? TITLE_POINTS : 0) + inAbstract * abstractScale;
}

export const abstractScale = (words: number): number => Math.min(1, Math.sqrt(ABSTRACT_WORDS / Math.max(1, words)));

const round = (x: number) => Math.round(x * 100) / 100;

/** Every topic with a matched keyword or a fired exclude, best first (excluded topics score 0). */
export function scoreTopics(ev: Evidence, topics: CompiledTopics): TopicScore[] {
  const scale = abstractScale(ev.abstractWords);
  const out: TopicScore[] = [];
  const entry = (topic: number) => {
    let s = out.find((x) => x.topic === topic);
    if (!s) out.push((s = { topic, score: 0, hits: [], excludedBy: [] }));
    return s;
  };
  for (const hit of ev.hits) {
    const s = entry(topics.groups[hit.group]!.topic);
    s.hits.push(hit);
    s.score += hitPoints(hit, scale);
  }
  for (const [topic, fired] of ev.excluded) entry(topic).excludedBy = fired;
  for (const s of out) {
    s.score = s.excludedBy.length > 0 ? 0 : round(s.score);
    s.hits.sort((a, b) => hitPoints(b, scale) - hitPoints(a, scale) || a.group - b.group);
  }
  // Highest score first; ties go to the topic listed first in topics.yaml, so results are deterministic.
  return out.sort((a, b) => b.score - a.score || a.topic - b.topic);
}

export function classify(paper: { title: string; abstract: string }, topics: CompiledTopics): Classification {
  const ev = gatherEvidence(paper, topics);
  const m = matcherFor(topics);
  const scale = abstractScale(ev.abstractWords);
  // Scores in scratch arrays; objects only for the few topics that make it (this runs for every paper).
  const { score, scoreStamp } = m;
  const stamp = m.next();
  const touched: number[] = [];
  for (const hit of ev.hits) {
    const t = topics.groups[hit.group]!.topic;
    if (scoreStamp[t] !== stamp) {
      scoreStamp[t] = stamp;
      score[t] = 0;
      touched.push(t);
    }
    score[t] = score[t]! + hitPoints(hit, scale);
  }
  const ranked = touched
    .filter((t) => !ev.excluded.has(t) && round(score[t]!) >= THRESHOLD)
    // Highest score first; ties go to the topic listed first in topics.yaml, so results are deterministic.
    .sort((x, y) => round(score[y]!) - round(score[x]!) || x - y)
    .slice(0, MAX_TOPICS);
  const matches: TopicMatch[] = ranked.map((t) => ({
    slug: topics.topics[t]!.slug,
    score: round(score[t]!),
    keywords: ev.hits
      .filter((h) => topics.groups[h.group]!.topic === t)
      .sort((x, y) => hitPoints(y, scale) - hitPoints(x, scale) || x.group - y.group)
      .map((h) => h.spellings[0]!),
  }));
  return { primary: matches[0]?.slug ?? OTHER_TOPIC, topics: matches };
}
