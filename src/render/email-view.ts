// Digest → the view both email parts (HTML and text) are written from: readable, cut, labelled strings.
import { addDays } from '../clock.ts';
import { OTHER_TOPIC, type Digest, type DigestSection, type EditionPaper, type Paper, type TopicDef } from '../domain.ts';
import { regexSpelling } from '../topics/classify.ts';
import { anchorFor, cutAbstract, ellipsize, formatDate, formatDateRange, paperLinks, plural, TITLE_CHARS, type PaperLink } from './links.ts';
import { readable, readableAuthors } from './readable.ts';
import { neutralizeDeep } from './recipient.ts';
import { editionUrl } from './site-input.ts';

export interface DigestContext {
  baseUrl: string;
  /** "View in browser"; defaults to archiveUrlFor(baseUrl, digest). For one edition, "N more" links point into it. */
  archiveUrl?: string;
  listName?: string;
  /** Defaults to digestSubject(digest). */
  subject?: string;
  /** All known topics, so "also in" can name topics outside the selection. */
  topics?: TopicDef[];
  /** The send date: a weekly digest covers the seven days ending then. Defaults to the last edition's date. */
  date?: string;
}

export interface CardView {
  title: string;
  url: string;
  byline: string;
  abstract: string;
  /** The source's one-line summary (the HF API's AI-generated `ai_summary`), labelled as such; or empty. */
  summary: string;
  keywords: string;
  alsoIn: string;
  /** "matched: … · also in: …", or empty. */
  notes: string;
  links: PaperLink[];
}

export interface SectionView {
  anchor: string;
  name: string;
  count: number;
  cards: CardView[];
  more: number;
  moreLabel: string;
  moreUrl: string;
}

export interface DigestView {
  listName: string;
  subject: string;
  preheader: string;
  kicker: string;
  dateLabel: string;
  headline: string;
  toc: { anchor: string; name: string; count: number }[];
  quiet: string;
  trending: string;
  sections: SectionView[];
  archiveUrl: string;
  baseUrl: string;
  why: string;
}

const MAX_KEYWORDS = 5;
const ABSTRACT_CHARS = 350;
// A summary is one line at the source; a long one is cut like an abstract, shorter.
const SUMMARY_CHARS = 220;
const AUTHORS_SHOWN = 3;
// Real titles stay under ~250 characters; a runaway seed line must not blow the size budget.
// An all-topics reader does not need the names of twenty quiet topics.
const MAX_QUIET = 4;

/**
 * The web page that holds a digest's papers: the edition's page for one edition (it has a section anchor
 * per topic); for a week, the archive index, which lists each day's page. The send date's own page would
 * hold only that day's papers, or not exist at all when that day was empty.
 */
export function archiveUrlFor(baseUrl: string, digest: Pick<Digest, 'editionIds'>): string {
  return digest.editionIds.length === 1 ? editionUrl(baseUrl, digest.editionIds[0]!) : `${baseUrl}/archive/`;
}

export function digestView(digest: Digest, ctx: DigestContext): DigestView {
  const listName = ctx.listName ?? 'paperboy';
  const names = topicNames(digest, ctx.topics ?? []);
  const filled = digest.sections.filter((s) => s.total > 0);
  const weekly = digest.selection.cadence === 'weekly';
  const archiveUrl = ctx.archiveUrl ?? archiveUrlFor(ctx.baseUrl, digest);
  const sections = filled.map((s): SectionView => ({
    anchor: anchorFor(s.topic.slug),
    name: s.topic.name,
    count: s.total,
    cards: s.papers.map((ep) => card(ep, s.topic.slug, names)),
    more: s.more,
    moreLabel: `${s.more} more in the web archive`,
    moreUrl: moreUrl(digest, s, archiveUrl),
  }));
  const quiet = digest.sections.filter((s) => s.total === 0 && s.topic.slug !== OTHER_TOPIC).map((s) => s.topic.name);
  const view: DigestView = {
    listName,
    subject: ctx.subject ?? digestSubject(digest, listName, ctx.date),
    preheader: preheader(digest, sections),
    kicker: `${listName} · ${weekly ? 'weekly' : 'daily'} digest`,
    dateLabel: weekly ? weekLabel(digest, ctx.date) : formatDate(digest.date, true),
    headline: headline(digest, filled.length),
    toc: sections.map(({ anchor, name, count }) => ({ anchor, name, count })),
    quiet: quietLine(quiet, weekly),
    trending: digest.trending.map((t) => `${readable(t.phrase)} (${t.count})`).join(' · '),
    sections,
    archiveUrl,
    baseUrl: ctx.baseUrl,
    why: whyLine(digest, listName),
  };
  // Seed text must never be able to forge a recipient placeholder.
  return neutralizeDeep(view);
}

/**
 * Where a section's "N more" goes. The edition page (all topics) files a paper under its primary topic, so
 * the section anchor exists there when one of the section's papers has it as primary; a section made only
 * of "also in" papers, or a week (the archive index has no topic anchors), links the page itself.
 */
function moreUrl(digest: Digest, s: DigestSection, archiveUrl: string): string {
  if (digest.editionIds.length !== 1) return archiveUrl;
  const primaryOf = (ep: EditionPaper) => (ep.classification.topics.length === 0 ? OTHER_TOPIC : ep.classification.primary);
  return s.papers.some((ep) => primaryOf(ep) === s.topic.slug) ? `${archiveUrl}#${anchorFor(s.topic.slug)}` : archiveUrl;
}

function quietLine(quiet: string[], weekly: boolean): string {
  if (quiet.length === 0) return '';
  const names = quiet.length <= MAX_QUIET ? quiet.join(', ') : `${quiet.slice(0, MAX_QUIET - 1).join(', ')} and ${quiet.length - MAX_QUIET + 1} other topics`;
  return `Nothing new ${weekly ? 'this week' : 'today'} in ${names}.`;
}

function card(ep: EditionPaper, sectionSlug: string, names: Map<string, string>): CardView {
  const { paper, classification } = ep;
  const links = paperLinks(paper);
  const own = classification.topics.find((t) => t.slug === sectionSlug);
  const others = classification.topics.filter((t) => t.slug !== sectionSlug && t.slug !== OTHER_TOPIC);
  const matched = [...(own?.keywords ?? []), ...others.flatMap((t) => t.keywords)].map((k) => shownKeyword(k, paper)).filter((k) => k !== '');
  const keywords = dedupe(matched).slice(0, MAX_KEYWORDS);
  // arXiv categories (primary first) name the field at a glance: shown after the counts, at most three.
  const categories = (paper.categories ?? []).slice(0, 3).join(', ');
  const byline = [readableAuthors(paper.authors, AUTHORS_SHOWN), paper.upvotes === null ? '' : plural(paper.upvotes, 'upvote'), categories]
    .filter((s) => s !== '')
    .join(' · ');
  const alsoIn = dedupe(others.map((t) => names.get(t.slug) ?? t.slug)).join(', ');
  const notes = [keywords.length > 0 ? `matched: ${keywords.join(', ')}` : '', alsoIn !== '' ? `also in: ${alsoIn}` : '']
    .filter((s) => s !== '')
    .join(' · ');
  return {
    title: ellipsize(readable(paper.title), TITLE_CHARS),
    url: links.primary,
    byline,
    abstract: cutAbstract(readable(paper.abstract), ABSTRACT_CHARS),
    summary: paper.extra?.aiSummary ? `AI summary: ${cutAbstract(readable(paper.extra.aiSummary), SUMMARY_CHARS, 2)}` : '',
    keywords: keywords.join(', '),
    alsoIn,
    notes,
    links: links.links,
  };
}

// A regex rule's source (`/\battributions?\b/i`, or `GPT-[0-9]+` unslashed): editions classified before
// regex hits were recorded by the text they found still carry it. Keywords from topics.yaml are words.
const REGEX_SOURCE = /^\/.+\/[a-z]*$|[\\[\]()|^$*?{}]/s;

/** A matched keyword as readers see it: a word; a regex source becomes the text it finds in the paper, or nothing. */
function shownKeyword(keyword: string, paper: Pick<Paper, 'title' | 'abstract'>): string {
  if (!REGEX_SOURCE.test(keyword)) return keyword;
  const literal = /^\/(.+)\/([a-z]*)$/s.exec(keyword);
  try {
    const re = new RegExp(literal ? literal[1]! : keyword, literal ? literal[2]!.replace(/[gy]/g, '') : '');
    const found = re.exec(paper.title) ?? re.exec(paper.abstract);
    return found === null ? '' : regexSpelling(found[0], '');
  } catch {
    return '';
  }
}

function topicNames(digest: Digest, topics: TopicDef[]): Map<string, string> {
  const names = new Map(topics.map((t) => [t.slug, t.name]));
  for (const s of digest.sections) names.set(s.topic.slug, s.topic.name);
  return names;
}

function dedupe(list: string[]): string[] {
  const seen = new Set<string>();
  return list.filter((s) => {
    const k = s.toLowerCase();
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function headline(digest: Digest, topicCount: number): string {
  const when = digest.selection.cadence === 'weekly' ? 'this week' : 'today';
  if (digest.paperCount === 0) return `No new papers in your topics ${when}`;
  const where = digest.selection.topics === null ? plural(topicCount, 'topic') : `${topicCount} of your topics`;
  return `${plural(digest.paperCount, 'new paper')} in ${where}`;
}

function preheader(digest: Digest, sections: SectionView[]): string {
  const top = sections.flatMap((s) => s.cards.slice(0, 1).map((c) => c.title)).slice(0, 3);
  const text = top.length > 0 ? `${headline(digest, sections.length)}: ${top.join(' · ')}` : headline(digest, sections.length);
  return ellipsize(text, 140);
}

function whyLine(digest: Digest, listName: string): string {
  const cadence = digest.selection.cadence === 'weekly' ? 'weekly' : 'daily';
  const which = digest.selection.topics === null ? 'all topics' : digest.sections.map((s) => s.topic.name).join(', ');
  return `You get this email because you subscribed to the ${listName} ${cadence} digest (${which}).`;
}

/**
 * The week a weekly digest covers: the seven days ending on its send date (`30 Nov – 6 Dec 2026`), whichever
 * of them had papers. Without a send date, the week ending with its last edition.
 */
function weekLabel(digest: Digest, sendDate: string | undefined): string {
  const last = sendDate ?? digest.date;
  if (last === '') return '';
  return formatDateRange(addDays(last, -6), last);
}

/**
 * One plain line: "paperboy — 42 new papers, 24 Nov 2026: <top title>";
 * a week: "paperboy weekly — 120 new papers, 30 Nov – 6 Dec 2026: <top title>".
 */
export function digestSubject(digest: Digest, listName = 'paperboy', sendDate?: string): string {
  const weekly = digest.selection.cadence === 'weekly';
  const date = weekly ? weekLabel(digest, sendDate) : formatDate(digest.date);
  const top = digest.sections
    .flatMap((s) => s.papers)
    .reduce<EditionPaper | null>((best, ep) => ((ep.paper.upvotes ?? -1) > (best?.paper.upvotes ?? -1) || best === null ? ep : best), null);
  const count = digest.paperCount === 0 ? 'no new papers' : plural(digest.paperCount, 'new paper');
  const head = `${listName}${weekly ? ' weekly' : ''} — ${count}, ${date}`;
  const subject = top === null ? head : `${head}: ${ellipsize(readable(top.paper.title), 90)}`;
  return subject.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').replace(/\s+/g, ' ').trim();
}
