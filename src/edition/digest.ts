// Pure digest building: editions × a subscriber's selection → the sections one email shows.
import { OTHER_TOPIC, currentSlugs, type Digest, type DigestSection, type Edition, type EditionPaper, type Selection, type TopicDef, type TrendingKeyword } from '../domain.ts';
import { readerOrder } from '../reader-order.ts';

export const OTHER_TOPIC_DEF: TopicDef = { slug: OTHER_TOPIC, name: 'Other', description: 'Papers that matched no topic.' };

export interface DigestBudget {
  /** A section's fair share when the email must be cut; budget the small sections leave goes to the big ones. */
  perSectionBudget?: number;
  /** Papers shown in the whole email; the rest are counted as `more` and left to the web archive. */
  totalBudget?: number;
}

// A card count, not a size: renderDigestHtml measures the bytes and cuts further when long titles and
// many topics would pass the clipping limit (see test/render/size.test.ts).
export const DEFAULT_PER_SECTION = 6;
export const DEFAULT_TOTAL = 40;
const MAX_TRENDING = 8;

/** A canonical string for a selection: equal selections (any topic order, duplicates) share one render. */
export function selectionKey(selection: Selection): string {
  const topics = selection.topics === null ? '*' : [...new Set(selection.topics)].sort().join(',');
  return `${selection.cadence}:${topics}`;
}

/** The selection a key names (selectionKey's inverse; slugs hold no commas or colons). */
export function selectionOfKey(key: string): Selection {
  const at = key.indexOf(':');
  const topics = key.slice(at + 1);
  return { cadence: key.slice(0, at) === 'weekly' ? 'weekly' : 'daily', topics: topics === '*' ? null : topics === '' ? [] : topics.split(',') };
}

export function buildDigest(editions: Edition[], selection: Selection, topics: TopicDef[], opts: DigestBudget = {}): Digest {
  const ordered = [...editions].sort((a, b) => a.id.localeCompare(b.id));
  const sectionTopics = selectedTopics(selection, topics);
  const bySlug = new Map(sectionTopics.map((t) => [t.slug, [] as EditionPaper[]]));

  // An all-topics reader sees every paper: one whose topic left topics.yaml lands in "Other".
  const fallback = selection.topics === null ? OTHER_TOPIC : null;
  for (const ep of unionOfPapers(ordered)) {
    const slug = sectionFor(ep, bySlug) ?? fallback;
    if (slug !== null) bySlug.get(slug)!.push(ep);
  }

  const all = sectionTopics.map((topic) => bySlug.get(topic.slug)!.sort(readerOrder(topic.slug)));
  const shown = allocate(
    all.map((papers) => papers.length),
    Math.max(0, opts.perSectionBudget ?? DEFAULT_PER_SECTION),
    Math.max(0, opts.totalBudget ?? DEFAULT_TOTAL),
  );
  const sections: DigestSection[] = sectionTopics.map((topic, i) => {
    const papers = all[i]!;
    return { topic, papers: papers.slice(0, shown[i]), more: papers.length - shown[i]!, total: papers.length };
  });

  return {
    editionIds: ordered.map((e) => e.id),
    date: ordered.at(-1)?.id ?? '',
    selection,
    sections,
    paperCount: sections.reduce((n, s) => n + s.total, 0),
    trending: mergeTrending(ordered),
  };
}

/**
 * Every paper of the editions that a digest for this selection holds (shown or left to the archive), once each:
 * what "Picked for you" ranks, so a reader's best paper is found even where the digest has no room for it.
 */
export function papersInSelection(editions: Edition[], selection: Selection, topics: TopicDef[]): EditionPaper[] {
  const sections = new Map(selectedTopics(selection, topics).map((t) => [t.slug, true]));
  const fallback = selection.topics === null;
  return unionOfPapers(editions).filter((ep) => sectionFor(ep, sections) !== null || fallback);
}

/** Selected topics in topics-file order; "Other" last when the reader takes everything (or asked for it). */
function selectedTopics(selection: Selection, topics: TopicDef[]): TopicDef[] {
  const wanted = selection.topics === null ? null : new Set(currentSlugs(selection.topics, topics));
  const chosen = topics.filter((t) => t.slug !== OTHER_TOPIC && (wanted === null || wanted.has(t.slug)));
  if (wanted === null || wanted.has(OTHER_TOPIC)) chosen.push(topics.find((t) => t.slug === OTHER_TOPIC) ?? OTHER_TOPIC_DEF);
  return chosen;
}

/**
 * Each paper once across the editions. A paper normally lives in one edition only; if a re-ingest put it
 * in two, the newest copy wins because its upvotes and classification are the freshest.
 */
function unionOfPapers(editions: Edition[]): EditionPaper[] {
  const byId = new Map<string, EditionPaper>();
  for (const edition of editions) for (const ep of edition.papers) byId.set(ep.paper.id, ep);
  return [...byId.values()];
}

/** The primary topic's section if selected, else the first selected "also in" topic, else none. */
function sectionFor(ep: EditionPaper, sections: Map<string, unknown>): string | null {
  const { primary, topics } = ep.classification;
  const primarySlug = topics.length === 0 ? OTHER_TOPIC : primary;
  if (sections.has(primarySlug)) return primarySlug;
  return topics.find((t) => sections.has(t.slug))?.slug ?? null;
}

/**
 * The same digest with at most `cards` cards in all, cut where buildDigest would cut (biggest sections
 * first). Only ever removes cards, so the papers already chosen are all it needs.
 */
export function shrinkDigest(digest: Digest, cards: number): Digest {
  const shown = allocate(digest.sections.map((s) => s.papers.length), DEFAULT_PER_SECTION, Math.max(0, cards));
  const sections = digest.sections.map((s, i) => ({ ...s, papers: s.papers.slice(0, shown[i]), more: s.total - shown[i]! }));
  return { ...digest, sections };
}

export const cardCount = (digest: Digest) => digest.sections.reduce((n, s) => n + s.papers.length, 0);

/**
 * How many papers each section shows. Everything, when the whole digest fits the total budget; otherwise
 * each section gets up to its fair share, and what small sections leave unused goes back to the big ones.
 */
function allocate(sizes: number[], perSection: number, total: number): number[] {
  if (sizes.reduce((n, x) => n + x, 0) <= total) return [...sizes];
  const shown = deal(sizes.map((n) => Math.min(n, perSection)), sizes, sizes.map(() => 0), total);
  return deal(sizes, sizes, shown, total - shown.reduce((n, x) => n + x, 0));
}

/**
 * Hands out `budget` cards one level at a time (every section its 1st card, then its 2nd, …) up to
 * `limits`, so no section starves; a level that cannot be completed goes to the biggest sections first.
 */
function deal(limits: number[], sizes: number[], start: number[], budget: number): number[] {
  const shown = [...start];
  let left = budget;
  while (left > 0) {
    const open = shown.map((_, i) => i).filter((i) => shown[i]! < limits[i]!);
    if (open.length === 0) break;
    const level = Math.min(...open.map((i) => shown[i]!));
    const next = open.filter((i) => shown[i] === level).sort((a, b) => sizes[b]! - sizes[a]! || a - b);
    for (const i of next.slice(0, left)) shown[i]!++;
    left -= Math.min(left, next.length);
  }
  return shown;
}

/** The editions' trending phrases merged: counts add up (editions hold distinct papers), the best score wins. */
function mergeTrending(editions: Edition[]): TrendingKeyword[] {
  const byPhrase = new Map<string, TrendingKeyword>();
  for (const edition of editions) {
    for (const t of edition.trending) {
      const key = t.phrase.toLowerCase();
      const seen = byPhrase.get(key);
      byPhrase.set(key, seen ? { phrase: seen.phrase, count: seen.count + t.count, score: Math.max(seen.score, t.score) } : { ...t });
    }
  }
  return [...byPhrase.values()]
    .sort((a, b) => b.score - a.score || b.count - a.count || a.phrase.localeCompare(b.phrase))
    .slice(0, MAX_TRENDING);
}
