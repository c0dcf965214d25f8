// Paper → topics with scores and matched keywords: title hits weigh more, one passing mention is not enough.
import { OTHER_TOPIC, type Classification, type TopicMatch } from '../domain.ts';
import { paperFields, rankedFields, type PaperFields } from './fields.ts';
import type { FieldModel } from './model.ts';
import type { Candidate, CompiledTopics } from './rules.ts';
import { PairTable } from './pair-table.ts';
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

const STARTS_WORDS = 1;
const STARTS_PHRASES = 2;
const EXCLUDE = 1;
const TITLE_ONLY = 2;
const IGNORE = 4;
const HAS_EXACT = 8;

/**
 * CompiledTopics.index in typed arrays: candidate c's topic, group, flags and word ids sit in a few dense
 * arrays instead of objects spread over the heap (each a cache miss, read for a third of a paper's words),
 * and a phrase's list is one PairTable probe instead of a Map lookup. Lists keep the index's order.
 */
class FlatIndex {
  /** Word id → STARTS_WORDS | STARTS_PHRASES: which candidates start with it (0: none). */
  readonly starts: Uint8Array;
  /** Word id → the list of its one-word candidates (-1: none). */
  readonly wordList: Int32Array;
  /** (first word id, second word id) → the list of candidates of two or more words starting so (-1: none). */
  readonly phrases: PairTable;
  /** List l holds candidates list[listFrom[l] .. listFrom[l + 1]). */
  readonly listFrom: Int32Array;
  readonly list: Int32Array;
  /** Per candidate: its topic, group, flags (EXCLUDE, TITLE_ONLY, IGNORE, HAS_EXACT), label, exact spellings. */
  readonly topic: Int32Array;
  readonly group: Int32Array;
  readonly flags: Uint8Array;
  readonly label: string[] = [];
  readonly exact: (string | null)[][] = [];
  /** Candidate c's word ids are ids[idsFrom[c] .. idsFrom[c + 1]). */
  readonly idsFrom: Int32Array;
  readonly ids: Int32Array;

  constructor(topics: CompiledTopics) {
    const vocab = topics.vocab.size;
    const number = new Map<Candidate, number>();
    const lists: Candidate[][] = [];
    const pairs: [number, number, number][] = [];
    this.starts = new Uint8Array(vocab);
    this.wordList = new Int32Array(vocab).fill(-1);
    topics.index.forEach((entry, id) => {
      if (entry === undefined) return;
      if (entry.words !== null) {
        this.starts[id]! |= STARTS_WORDS;
        this.wordList[id] = lists.push(entry.words) - 1;
      }
      for (const [second, list] of entry.phrases ?? []) {
        this.starts[id]! |= STARTS_PHRASES;
        pairs.push([id, second, lists.push(list) - 1]);
      }
    });
    this.phrases = new PairTable(pairs, vocab);
    for (const list of lists) for (const c of list) if (!number.has(c)) number.set(c, number.size);
    const count = number.size;
    this.topic = new Int32Array(count);
    this.group = new Int32Array(count);
    this.flags = new Uint8Array(count);
    this.idsFrom = new Int32Array(count + 1);
    const ids: number[] = [];
    for (const [c, n] of number) {
      this.topic[n] = c.topic;
      this.group[n] = c.group;
      const exact = c.exact.some((e) => e != null);
      this.flags[n] = (c.exclude ? EXCLUDE : 0) | (c.titleOnly ? TITLE_ONLY : 0) | (c.ignore ? IGNORE : 0) | (exact ? HAS_EXACT : 0);
      this.label[n] = c.label;
      this.exact[n] = c.exact;
      this.idsFrom[n] = ids.length;
      ids.push(...c.ids);
      this.idsFrom[n + 1] = ids.length;
    }
    this.ids = Int32Array.from(ids);
    this.listFrom = new Int32Array(lists.length + 1);
    const flat: number[] = [];
    lists.forEach((list, l) => {
      this.listFrom[l] = flat.length;
      for (const c of list) flat.push(number.get(c)!);
      this.listFrom[l + 1] = flat.length;
    });
    this.list = Int32Array.from(flat);
  }
}

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
  /** Scratch for place(): the topics a paper's hits touched, and those admitted, best first. */
  readonly touchedTopics: Int32Array;
  readonly candidateTopics: Int32Array;
  stamp = 0;

  /** The learned field model, fed by the same pass over the text as the keywords (null: none). */
  readonly model: FieldModel | null;
  readonly flat: FlatIndex;

  constructor(readonly topics: CompiledTopics) {
    this.model = topics.model();
    this.flat = new FlatIndex(topics);
    this.table = new WordTable(topics.vocab, this.model);
    this.hitOf = new Array(topics.groups.length);
    this.hitStamp = new Int32Array(topics.groups.length);
    this.coverUntil = new Int32Array(topics.topics.length);
    this.coverStamp = new Int32Array(topics.topics.length);
    this.score = new Float64Array(topics.topics.length);
    this.scoreStamp = new Int32Array(topics.topics.length);
    this.touchedTopics = new Int32Array(topics.topics.length);
    this.candidateTopics = new Int32Array(topics.topics.length);
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

const hasKnownCategories = (paper: { categories?: string[] }) => paper.categories !== undefined && paper.categories.some((c) => c.trim() !== '');

/** Everything that matched in a paper, before any threshold: what both classification and explanations use. */
export function gatherEvidence(paper: { title: string; abstract: string; categories?: string[] }, topics: CompiledTopics): Evidence {
  const m = matcherFor(topics);
  const ev: Evidence = { hits: [], excluded: NONE, abstractWords: 0 };
  const paperStamp = m.next();
  // The model reads the same words, unless known categories make it moot (paperFields then never asks).
  const model = m.model !== null && !hasKnownCategories(paper) ? m.model : null;
  const w = m.words;
  model?.beginPaper();
  model?.beginText(true);
  m.table.scan(paper.title, w, model !== null);
  const titleAscii = w.ascii;
  matchWords(m, paper.title, 'title', ev, paperStamp);
  model?.beginText(false);
  m.table.scan(paper.abstract, w, model !== null);
  model?.endPaper(paper.title, paper.abstract);
  ev.abstractWords = w.words;
  matchWords(m, paper.abstract, 'abstract', ev, paperStamp);
  const abstractAscii = w.ascii;
  for (const r of topics.regexes) {
    // The text a regex found is its spelling: readers see "attribution", never `/\battributions?\b/i`.
    const inTitle = (titleAscii && r.ascii !== null ? r.ascii : r.re).exec(paper.title);
    const inAbstract = (abstractAscii && r.ascii !== null ? r.ascii : r.re).exec(paper.abstract);
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
  const x = m.flat;
  const n = w.length;
  for (let i = 0; i < n; i++) {
    // The agent noun first: it is the more specific reading of the word ("server" before "serv-").
    for (let k = 0; k < 2; k++) {
      const id = k === 0 ? w.agent[i]! : w.base[i]!;
      if (id < 0) continue;
      const starts = x.starts[id]!;
      if (starts === 0) continue;
      if ((starts & STARTS_PHRASES) !== 0 && i + 1 < n && w.ordinal[i + 1] === w.ordinal[i]! + 1) {
        const nextAgent = w.agent[i + 1]!;
        const nextBase = w.base[i + 1]!;
        if (nextAgent >= 0) tryList(x.phrases.get(id, nextAgent), m, text, field, i, ev, paperStamp, fieldStamp);
        if (nextBase >= 0) tryList(x.phrases.get(id, nextBase), m, text, field, i, ev, paperStamp, fieldStamp);
      }
      if ((starts & STARTS_WORDS) !== 0) tryList(x.wordList[id]!, m, text, field, i, ev, paperStamp, fieldStamp);
    }
  }
}

/** Tries the candidates of list `l` (-1: none) at word i, in the list's order (longest first). */
function tryList(l: number, m: Matcher, text: string, field: Field, i: number, ev: Evidence, paperStamp: number, fieldStamp: number): void {
  if (l < 0) return;
  const x = m.flat;
  for (let j = x.listFrom[l]!, end = x.listFrom[l + 1]!; j < end; j++) {
    const c = x.list[j]!;
    const flags = x.flags[c]!;
    const topic = x.topic[c]!;
    const exclude = (flags & EXCLUDE) !== 0;
    if ((flags & TITLE_ONLY) !== 0 && field === 'abstract') continue;
    // Words already claimed by a longer keyword of the same topic do not count again.
    if (!exclude && m.coverStamp[topic] === fieldStamp && m.coverUntil[topic]! > i) continue;
    if (!matchesAt(x, c, text, m.words, i)) continue;
    const label = x.label[c]!;
    if (exclude) {
      if (ev.excluded === NONE) ev.excluded = new Map();
      const fired = ev.excluded.get(topic) ?? [];
      if (!fired.includes(label)) fired.push(label);
      ev.excluded.set(topic, fired);
      continue;
    }
    m.coverStamp[topic] = fieldStamp;
    m.coverUntil[topic] = i + (x.idsFrom[c + 1]! - x.idsFrom[c]!);
    if ((flags & IGNORE) === 0) record(m, ev, paperStamp, x.group[c]!, label, field);
  }
}

function matchesAt(x: FlatIndex, c: number, text: string, w: WordBuffer, i: number): boolean {
  const from = x.idsFrom[c]!;
  const n = x.idsFrom[c + 1]! - from;
  if (i + n > w.length) return false;
  const first = w.ordinal[i]!;
  for (let j = 1; j < n; j++) {
    const id = x.ids[from + j]!;
    if (w.ordinal[i + j] !== first + j || (w.base[i + j] !== id && w.agent[i + j] !== id)) return false;
  }
  if ((x.flags[c]! & HAS_EXACT) === 0) return true;
  const exact = x.exact[c]!;
  for (let j = 0; j < n; j++) {
    const e = exact[j];
    if (e != null && !isSpelled(text, w.start[i + j]!, w.end[i + j]!, e)) return false;
  }
  return true;
}

function record(m: Matcher, ev: Evidence, paperStamp: number, group: number, spelling: string, field: Field): void {
  let hit = m.hitStamp[group] === paperStamp ? m.hitOf[group] : undefined;
  if (hit === undefined) {
    // The first spelling in the literal: an empty list's first push would allocate room for 17.
    hit = { group, title: 0, abstract: 0, spellings: [spelling] };
    m.hitOf[group] = hit;
    m.hitStamp[group] = paperStamp;
    ev.hits.push(hit);
    hit[field]++;
    return;
  }
  hit[field]++;
  // Mostly the same spelling again: compare the first before searching the list.
  if (hit.spellings[0] !== spelling && !hit.spellings.includes(spelling)) hit.spellings.push(spelling);
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

export type Paper = { title: string; abstract: string; categories?: string[] };

/** Why a topic is in a paper's list: its keywords, or its field (the source's category or the model's words). */
export interface Placement {
  topic: number;
  score: number;
  keywords: string[];
  via: 'keywords' | 'field' | 'best-guess';
  /** The category that placed it (`via` field, and best-guess by field). */
  category?: string;
}

/** Terms named for a placement by field. */
const FIELD_TERMS = 5;

export function classify(paper: Paper, topics: CompiledTopics): Classification {
  const placed = placePaper(paper, topics).placements;
  const matches: TopicMatch[] = placed.map((p) => ({ slug: topics.topics[p.topic]!.slug, score: p.score, keywords: p.keywords }));
  return { primary: matches[0]?.slug ?? OTHER_TOPIC, topics: matches };
}

/**
 * Keyword scores, then fields: a topic with `categories` takes only papers of those categories (known, or
 * predicted from the text), the others only computer-science and ML papers; a paper of a category that no
 * topic of that category took goes to the category's home topic (`home_for`); an in-scope paper that no
 * topic took goes where its keywords pointed most, or to the home of its likeliest field.
 */
export function place(paper: Paper, topics: CompiledTopics): { placements: Placement[]; fields: PaperFields; admitted: (t: number) => boolean } {
  const { placements, fields } = placePaper(paper, topics);
  return { placements, fields, admitted: (t: number) => isAdmitted(topics.categories[t]!, fields) };
}

/** Whether a topic of these categories may take the paper (no categories: any computer-science or ML paper). */
function isAdmitted(cats: string[], fields: PaperFields): boolean {
  return cats.length > 0 ? hasAny(cats, fields) : fields.inScope;
}

function hasAny(cats: string[], fields: PaperFields): boolean {
  for (const c of cats) if (fields.has(c)) return true;
  return false;
}

/** Whether a placement already gives the paper a topic of category `c`. */
function holds(placements: Placement[], categories: string[][], c: string): boolean {
  for (const p of placements) if (categories[p.topic]!.includes(c)) return true;
  return false;
}

/** A placed topic's keywords, strongest first. */
function keywordsOf(ev: Evidence, topics: CompiledTopics, t: number, scale: number): string[] {
  // Insertion by points (down), then group: the order a sort with that comparator gives (groups are unique).
  const hits: KeywordHit[] = [];
  for (const h of ev.hits) {
    if (topics.groups[h.group]!.topic !== t) continue;
    const p = hitPoints(h, scale);
    let i = hits.length;
    for (; i > 0; i--) {
      const q = hits[i - 1]!;
      const pq = hitPoints(q, scale);
      if (!(p - pq > 0 || (p - pq === 0 && h.group < q.group))) break;
      hits[i] = q;
    }
    hits[i] = h;
  }
  return hits.map((h) => h.spellings[0]!);
}

// place() without the `admitted` closure; plain loops, no closures or array callbacks: this runs for every paper.
function placePaper(paper: Paper, topics: CompiledTopics): { placements: Placement[]; fields: PaperFields } {
  const ev = gatherEvidence(paper, topics);
  const m = matcherFor(topics);
  const scale = abstractScale(ev.abstractWords);
  // Scores in scratch arrays; objects only for the few topics that make it.
  const { score, scoreStamp } = m;
  const stamp = m.next();
  const touched = m.touchedTopics;
  let nt = 0;
  for (const hit of ev.hits) {
    const t = topics.groups[hit.group]!.topic;
    if (scoreStamp[t] !== stamp) {
      scoreStamp[t] = stamp;
      score[t] = 0;
      touched[nt++] = t;
    }
    score[t] = score[t]! + hitPoints(hit, scale);
  }
  const model = topics.model();
  const fields = paperFields(paper, model);
  const categories = topics.categories;
  const excluded = ev.excluded;
  // A paper near computer science (not in it) may still take topics without categories by its keywords alone.
  const near = !fields.inScope && fields.nearScope;
  const candidates = m.candidateTopics;
  let nc = 0;
  for (let j = 0; j < nt; j++) {
    const t = touched[j]!;
    if (excluded.has(t) || !(isAdmitted(categories[t]!, fields) || (near && categories[t]!.length === 0))) continue;
    // Insertion, highest score first; ties go to the topic listed first in topics.yaml, so results are deterministic.
    const r = round(score[t]!);
    let i = nc++;
    for (; i > 0; i--) {
      const u = candidates[i - 1]!;
      const ru = round(score[u]!);
      if (!(r > ru || (r === ru && t < u))) break;
      candidates[i] = u;
    }
    candidates[i] = t;
  }
  const placements: Placement[] = [];
  for (let i = 0; i < nc && placements.length < MAX_TOPICS; i++) {
    const t = candidates[i]!;
    const s = round(score[t]!);
    if (s >= THRESHOLD) placements.push({ topic: t, score: s, keywords: keywordsOf(ev, topics, t, scale), via: 'keywords' });
  }

  // Every category the paper is in that has a home gets a topic of that category.
  const homeFor = topics.homeFor;
  for (let h = 0; h < homeFor.length; h++) {
    const cats = homeFor[h]!;
    if (cats.length === 0 || excluded.has(h) || !isAdmitted(categories[h]!, fields)) continue;
    let placedAlready = false;
    for (const p of placements) if (p.topic === h) placedAlready = true;
    if (placedAlready) continue;
    // A home limited to its categories guarantees them a topic; any other home takes only papers no topic took.
    const own = categories[h]!;
    let c: string | undefined;
    for (const x of cats) {
      if (x !== '*' && fields.has(x) && !holds(placements, categories, x) && (own.includes(x) || placements.length === 0)) {
        c = x;
        break;
      }
    }
    if (c === undefined) continue;
    const entry: Placement = { topic: h, score: round(scoreStamp[h] === stamp ? score[h]! : 0), keywords: fieldWords(paper, fields, model, c), via: 'field', category: c };
    if (placements.length < MAX_TOPICS) placements.push(entry);
    else {
      // Over the cap, a field placement replaces the weakest keyword-only topic (never another field's).
      for (let i = placements.length - 1; i >= 0; i--) {
        const p = placements[i]!;
        if (p.via === 'keywords' && !hasAny(categories[p.topic]!, fields)) {
          placements[i] = entry;
          break;
        }
      }
    }
  }

  // A computer-science paper goes somewhere real: its best keyword topic below the bar, else its likeliest field's home.
  // (Without a model or categories nothing says the paper is computer science: the keyword rules alone decide.)
  if (placements.length === 0 && fields.inScope && fields.source !== 'none') {
    const best = nc > 0 ? candidates[0] : undefined;
    if (best !== undefined) placements.push({ topic: best, score: round(score[best]!), keywords: keywordsOf(ev, topics, best, scale), via: 'best-guess' });
    else if (model !== null && fields.scores !== null) {
      for (const k of rankedFields(model, fields.scores)) {
        const f = model.fields[k]!;
        const h = topics.homeFor.findIndex((cats, h) => !ev.excluded.has(h) && cats.some((c) => f.categories.includes(c)));
        if (h < 0) continue;
        const c = topics.homeFor[h]!.find((c) => f.categories.includes(c))!;
        placements.push({ topic: h, score: 0, keywords: fieldWords(paper, fields, model, c, k), via: 'best-guess', category: c });
        break;
      }
    }
  }
  return { placements, fields };
}

/** The words behind a field placement: the model's strongest terms, or the source's category itself. */
function fieldWords(paper: Paper, fields: PaperFields, model: FieldModel | null, category: string, field?: number): string[] {
  if (fields.source === 'known' || model === null) return [`arXiv ${category}`];
  const k = field ?? model.fields.findIndex((f, k) => fields.scores!.hit[k] && f.categories.includes(category));
  if (k < 0) return [`arXiv ${category}`];
  return model.topSpellings(paper, k, FIELD_TERMS);
}
