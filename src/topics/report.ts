// Reports for `paperboy topics`: counts and examples per topic, and why one paper landed where it did.
import { OTHER_TOPIC, type TrendingKeyword } from '../domain.ts';
import {
  ABSTRACT_POINTS,
  ABSTRACT_MAX_POINTS,
  ABSTRACT_REPEAT_POINTS,
  ABSTRACT_WORDS,
  MAX_TOPICS,
  THRESHOLD,
  TITLE_POINTS,
  abstractScale,
  classify,
  gatherEvidence,
  hitPoints,
  place,
  scoreTopics,
  type Paper,
} from './classify.ts';
import type { CompiledTopics } from './rules.ts';
import { uncoveredKeywords } from './trending.ts';

type PaperLike = { id: string; title: string; abstract: string };

/** Titles shown per topic. */
const EXAMPLES = 3;
/** Papers listed for "other": the operator's to-do list for topics.yaml. */
const OTHER_EXAMPLES = 10;

export interface TopicsReport {
  papers: number;
  /** In topics.yaml order. `count`: papers whose primary topic it is; `alsoIn`: papers listing it second or third. */
  topics: { slug: string; name: string; description: string; count: number; share: number; alsoIn: number; examples: string[] }[];
  other: { count: number; share: number; examples: { id: string; title: string }[] };
  trending: TrendingKeyword[];
  /** Trending phrases no topic keyword matches. */
  uncovered: string[];
  /** Spellings in topics.yaml that match nothing an earlier one of the same topic does not: safe to delete. */
  redundant: { slug: string; spelling: string }[];
}

const share = (n: number, total: number) => (total === 0 ? 0 : Math.round((1000 * n) / total) / 1000);

export function topicsReport(papers: PaperLike[], topics: CompiledTopics, trending: TrendingKeyword[]): TopicsReport {
  const primary = new Map<string, { paper: PaperLike; score: number; order: number }[]>();
  const also = new Map<string, number>();
  papers.forEach((paper, order) => {
    const c = classify(paper, topics);
    const list = primary.get(c.primary) ?? [];
    list.push({ paper, score: c.topics[0]?.score ?? 0, order });
    primary.set(c.primary, list);
    for (const t of c.topics.slice(1)) also.set(t.slug, (also.get(t.slug) ?? 0) + 1);
  });
  // The clearest cases make the best examples: highest score first, then input order.
  const examples = (slug: string, n: number) =>
    (primary.get(slug) ?? [])
      .slice()
      .sort((a, b) => b.score - a.score || a.order - b.order)
      .slice(0, n)
      .map((x) => x.paper);
  const others = primary.get(OTHER_TOPIC) ?? [];
  return {
    papers: papers.length,
    topics: topics.topics.map((t) => {
      const count = primary.get(t.slug)?.length ?? 0;
      return { ...t, count, share: share(count, papers.length), alsoIn: also.get(t.slug) ?? 0, examples: examples(t.slug, EXAMPLES).map((p) => p.title) };
    }),
    other: {
      count: others.length,
      share: share(others.length, papers.length),
      examples: others.slice(0, OTHER_EXAMPLES).map(({ paper }) => ({ id: paper.id, title: paper.title })),
    },
    trending,
    uncovered: uncoveredKeywords(trending, topics).map((k) => k.phrase),
    redundant: topics.redundant,
  };
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** The report for people: one aligned row per topic with its examples under it. */
export function formatTopicsReport(r: TopicsReport): string {
  const width = Math.max(5, ...r.topics.map((t) => t.slug.length), OTHER_TOPIC.length);
  const row = (slug: string, count: string, sh: string, also: string, name: string) =>
    `${slug.padEnd(width)}  ${count.padStart(6)}  ${sh.padStart(6)}  ${also.padStart(5)}  ${name}`;
  const lines = [
    `${r.papers} papers in ${r.topics.length} topics. papers: primary topic; +also: listed there as well.`,
    '',
    row('topic', 'papers', 'share', '+also', 'name'),
  ];
  for (const t of r.topics) {
    lines.push(row(t.slug, String(t.count), pct(t.share), `+${t.alsoIn}`, t.name));
    for (const e of t.examples) lines.push(`    · ${clip(e, 100)}`);
  }
  lines.push(row(OTHER_TOPIC, String(r.other.count), pct(r.other.share), '', 'no topic matched'));
  const idWidth = Math.max(0, ...r.other.examples.map((e) => e.id.length));
  for (const e of r.other.examples) lines.push(`    · ${e.id.padEnd(idWidth)}  ${clip(e.title, 90)}`);
  lines.push('');
  lines.push(r.trending.length ? `trending: ${r.trending.map((k) => `${k.phrase} (${k.count})`).join(', ')}` : 'trending: none (needs a history to compare with)');
  if (r.uncovered.length) lines.push(`trending but in no topic's keywords: ${r.uncovered.join(', ')}`);
  if (r.redundant.length) lines.push(`topics.yaml spellings that add nothing (an earlier spelling of the topic covers them): ${r.redundant.map((x) => `${x.slug}: "${x.spelling}"`).join(', ')}`);
  return lines.join('\n');
}

export type CandidateStatus = 'primary' | 'also-in' | 'below-threshold' | 'over-cap' | 'excluded' | 'outside-field';

export interface Explanation {
  primary: string;
  /** Assigned topics, primary first. */
  topics: string[];
  threshold: number;
  maxTopics: number;
  points: { title: number; abstract: number; abstractRepeat: number; abstractMax: number };
  abstractWords: number;
  /** Abstract points are multiplied by this (below 1 for abstracts longer than `ABSTRACT_WORDS`). */
  abstractScale: number;
  /**
   * The paper's arXiv fields: `known` from its source (they decide), `predicted` by the learned model from
   * the words listed, `none` without either. `inScope`: computer science or ML (else only topics that ask
   * for the paper's own categories may take it).
   */
  fields: { source: 'known' | 'predicted' | 'none'; known: string[]; inScope: boolean; predicted: { field: string; score: number; threshold: number; words: string[] }[] };
  /** Every topic with a matched keyword, a fired exclude or a placement by field, best first. */
  candidates: {
    slug: string;
    name: string;
    score: number;
    status: CandidateStatus;
    excludedBy: string[];
    /** How it was placed: its keywords; its field (`category`, with the words behind it); the best guess for a paper no topic took. */
    via?: 'keywords' | 'field' | 'best-guess';
    category?: string;
    /** Words behind a placement by field. */
    fieldWords?: string[];
    keywords: { keyword: string; matched: string[]; title: number; abstract: number; points: number }[];
  }[];
}

export function explainPaper(paper: Paper, topics: CompiledTopics): Explanation {
  const { placements, fields, admitted } = place(paper, topics);
  const ev = gatherEvidence(paper, topics);
  const scale = abstractScale(ev.abstractWords);
  const placed = new Map(placements.map((p, i) => [p.topic, { ...p, rank: i }]));
  const status = (topic: number, score: number, excluded: boolean): CandidateStatus => {
    const p = placed.get(topic);
    if (p) return p.rank === 0 ? 'primary' : 'also-in';
    if (excluded) return 'excluded';
    if (!admitted(topic)) return 'outside-field';
    return score < THRESHOLD ? 'below-threshold' : 'over-cap';
  };
  const model = topics.model();
  const predicted =
    fields.source === 'predicted' && model !== null && fields.scores !== null
      ? model.fields
          .map((f, k) => ({ field: f.name, score: Math.round(fields.scores!.score[k]! * 100) / 100, threshold: f.threshold, k }))
          .filter((f) => fields.scores!.hit[f.k])
          .map(({ k, ...f }) => ({ ...f, words: model.contributions(paper, k).slice(0, 8).map((c) => c.spelling) }))
      : [];
  const scored = scoreTopics(ev, topics);
  // Topics placed by field alone have no keyword score entry: list them too.
  for (const p of placements) if (!scored.some((s) => s.topic === p.topic)) scored.push({ topic: p.topic, score: p.score, hits: [], excludedBy: [] });
  const c = classify(paper, topics);
  const order = (t: number) => placed.get(t)?.rank ?? MAX_TOPICS;
  scored.sort((a, b) => order(a.topic) - order(b.topic));
  return {
    primary: c.primary,
    topics: c.topics.map((t) => t.slug),
    threshold: THRESHOLD,
    maxTopics: MAX_TOPICS,
    points: { title: TITLE_POINTS, abstract: ABSTRACT_POINTS, abstractRepeat: ABSTRACT_REPEAT_POINTS, abstractMax: ABSTRACT_MAX_POINTS },
    abstractWords: ev.abstractWords,
    abstractScale: Math.round(scale * 100) / 100,
    fields: { source: fields.source, known: fields.known, inScope: fields.inScope, predicted },
    candidates: scored.map((s) => {
      const t = topics.topics[s.topic]!;
      const p = placed.get(s.topic);
      return {
        slug: t.slug,
        name: t.name,
        score: p?.score ?? s.score,
        status: status(s.topic, s.score, s.excludedBy.length > 0),
        excludedBy: s.excludedBy,
        ...(p ? { via: p.via, ...(p.category ? { category: p.category } : {}), ...(p.via !== 'keywords' && p.category ? { fieldWords: p.keywords } : {}) } : {}),
        keywords: s.hits.map((h) => ({
          keyword: topics.groups[h.group]!.label,
          matched: h.spellings,
          title: h.title,
          abstract: h.abstract,
          points: Math.round(hitPoints(h, scale) * 100) / 100,
        })),
      };
    }),
  };
}

const STATUS: Record<CandidateStatus, string> = {
  primary: 'primary',
  'also-in': 'also in',
  'below-threshold': 'below the threshold',
  'over-cap': `beyond the ${MAX_TOPICS}-topic cap`,
  excluded: 'excluded',
  'outside-field': 'not in its categories',
};

/** The explanation for people: the rule, then each topic with the keywords behind its points. */
export function formatExplanation(x: Explanation): string {
  const also = x.topics.slice(1);
  const scaleNote = x.abstractScale < 1 ? `; this abstract has ${x.abstractWords} words (over ${ABSTRACT_WORDS}), so its points count ×${x.abstractScale}` : '';
  const lines = [
    `primary: ${x.primary}${also.length ? `; also in: ${also.join(', ')}` : ''}`,
    `a topic needs ${x.threshold} points: a keyword in the title gives ${x.points.title}, in the abstract ${x.points.abstract} ` +
      `(+${x.points.abstractRepeat} per repeat, up to ${x.points.abstractMax})${scaleNote}; at most ${x.maxTopics} topics`,
  ];
  const f = x.fields;
  if (f.source === 'known') lines.push(`arXiv categories (from the source, they decide): ${f.known.join(', ')}${f.inScope ? '' : ' (not computer science or ML)'}`);
  else if (f.source === 'predicted')
    lines.push(
      f.predicted.length > 0
        ? `fields read from the words: ${f.predicted.map((p) => (p.field === 'cs' ? 'computer science or ML' : `${p.field} (${p.words.join(', ')})`)).join('; ')}`
        : 'fields read from the words: none (not computer science or ML, so only topics for its own fields could take it)',
    );
  if (x.candidates.length === 0) lines.push(`no keyword of any topic matched${f.source === 'none' ? '' : ' and no field placed it'}, so the paper is in "other"`);
  const slugWidth = Math.max(0, ...x.candidates.map((c) => c.slug.length));
  const kwWidth = Math.max(0, ...x.candidates.flatMap((c) => c.keywords.map((k) => clip(k.matched.join(' / '), 40).length)));
  for (const c of x.candidates) {
    const by =
      c.via === 'field' ? ` (by its field ${c.category}: ${c.fieldWords?.join(', ')})` : c.via === 'best-guess' ? ` (no topic reached ${x.threshold}: the closest${c.category ? `, by its field ${c.category}: ${c.fieldWords?.join(', ')}` : ''})` : '';
    const why = (c.status === 'excluded' ? `excluded by ${c.excludedBy.join(', ')}` : STATUS[c.status]) + by;
    lines.push(`  ${c.slug.padEnd(slugWidth)}  ${String(c.score).padStart(5)}  ${why}`);
    for (const k of c.keywords) {
      const counts = `title ×${k.title}  abstract ×${k.abstract}`;
      lines.push(`  ${' '.repeat(slugWidth)}    ${clip(k.matched.join(' / '), 40).padEnd(kwWidth)}  ${counts.padEnd(24)}  ${k.points}`);
    }
  }
  return lines.join('\n');
}
