// Reports for `paperboy topics`: counts and examples per topic, and the explanation of one paper's grouping.
import { OTHER_TOPIC, type TrendingKeyword } from '../domain.ts';
import { classify, gatherEvidence, hitScore, MAX_TOPICS, scoreEvidence, THRESHOLD, TITLE_WEIGHT, ABSTRACT_WEIGHT } from './classify.ts';
import type { CompiledTopics } from './rules.ts';
import { uncoveredKeywords } from './trending.ts';

type PaperLike = { id: string; title: string; abstract: string };

export interface TopicsReport {
  papers: number;
  topics: { slug: string; name: string; description: string; count: number; alsoIn: number; examples: string[] }[];
  other: { count: number; examples: { id: string; title: string }[] };
  trending: TrendingKeyword[];
  uncovered: string[];
}

export function topicsReport(papers: PaperLike[], topics: CompiledTopics, trending: TrendingKeyword[]): TopicsReport {
  const primary = new Map<string, PaperLike[]>();
  const also = new Map<string, number>();
  for (const p of papers) {
    const c = classify(p, topics);
    if (!primary.has(c.primary)) primary.set(c.primary, []);
    primary.get(c.primary)!.push(p);
    for (const t of c.topics.slice(1)) also.set(t.slug, (also.get(t.slug) ?? 0) + 1);
  }
  const others = primary.get(OTHER_TOPIC) ?? [];
  return {
    papers: papers.length,
    topics: topics.topics.map((t) => ({
      slug: t.slug,
      name: t.name,
      description: t.description,
      count: primary.get(t.slug)?.length ?? 0,
      alsoIn: also.get(t.slug) ?? 0,
      examples: (primary.get(t.slug) ?? []).slice(0, 3).map((p) => p.title),
    })),
    other: { count: others.length, examples: others.slice(0, 10).map((p) => ({ id: p.id, title: p.title })) },
    trending,
    uncovered: uncoveredKeywords(trending, topics).map((k) => k.phrase),
  };
}

const pct = (n: number, total: number) => (total ? `${((100 * n) / total).toFixed(1)}%` : '0%');

export function formatTopicsReport(r: TopicsReport): string {
  const width = Math.max(...r.topics.map((t) => t.slug.length), 5);
  const lines = [`${r.papers} papers in ${r.topics.length} topics (count = primary topic; +n = also listed there)`, ''];
  for (const t of r.topics) {
    lines.push(`${t.slug.padEnd(width)}  ${String(t.count).padStart(5)} ${pct(t.count, r.papers).padStart(6)}  +${t.alsoIn}  ${t.name}`);
    for (const e of t.examples) lines.push(`${' '.repeat(width)}         · ${e.length > 90 ? e.slice(0, 89) + '…' : e}`);
  }
  lines.push('', `other (no topic): ${r.other.count} (${pct(r.other.count, r.papers)})`);
  for (const e of r.other.examples) lines.push(`  · ${e.id}  ${e.title}`);
  lines.push('', `trending: ${r.trending.map((k) => `${k.phrase} (${k.count})`).join(', ') || 'none'}`);
  if (r.uncovered.length) lines.push(`not covered by any topic rule: ${r.uncovered.join(', ')}`);
  return lines.join('\n');
}

export interface Explanation {
  primary: string;
  topics: string[];
  threshold: number;
  weights: { title: number; abstract: number };
  candidates: {
    slug: string;
    score: number;
    assigned: boolean;
    excludedBy: string[];
    keywords: { keyword: string; title: number; abstract: number; points: number }[];
  }[];
}

export function explainPaper(paper: { title: string; abstract: string }, topics: CompiledTopics): Explanation {
  const c = classify(paper, topics);
  const candidates = [...gatherEvidence(paper, topics).values()]
    .map((e) => ({
      slug: topics.compiled[e.index]!.slug,
      score: scoreEvidence(e),
      assigned: c.topics.some((t) => t.slug === topics.compiled[e.index]!.slug),
      excludedBy: e.excludedBy,
      keywords: [...e.hits.values()].map((h) => ({ keyword: h.label, title: h.title, abstract: h.abstract, points: hitScore(h) })).sort((a, b) => b.points - a.points),
    }))
    .sort((a, b) => b.score - a.score || a.slug.localeCompare(b.slug));
  return { primary: c.primary, topics: c.topics.map((t) => t.slug), threshold: THRESHOLD, weights: { title: TITLE_WEIGHT, abstract: ABSTRACT_WEIGHT }, candidates };
}

export function formatExplanation(x: Explanation): string {
  const lines = [`primary: ${x.primary}${x.topics.length > 1 ? `; also in: ${x.topics.slice(1).join(', ')}` : ''}`];
  lines.push(`(a topic needs ${x.threshold} points: a keyword in the title gives ${x.weights.title}, in the abstract ${x.weights.abstract} (+0.5 if repeated); at most ${MAX_TOPICS} topics)`);
  if (x.candidates.length === 0) lines.push('no keyword of any topic matched: the paper goes to "other"');
  for (const cand of x.candidates) {
    const status = cand.excludedBy.length ? `excluded by ${cand.excludedBy.join(', ')}` : cand.assigned ? 'assigned' : cand.score < x.threshold ? 'below threshold' : 'beyond the topic cap';
    lines.push(`  ${cand.slug}: ${cand.score} points, ${status}`);
    for (const k of cand.keywords) lines.push(`    ${k.keyword}: title ×${k.title}, abstract ×${k.abstract} → ${k.points}`);
  }
  return lines.join('\n');
}
