// RSS 2.0 (the rss package), JSON Feed 1.1 and OPML for all papers, each topic and the editions: pure, byte-stable.
import RSS from 'rss';
import { OTHER_TOPIC, type Edition, type EditionPaper, type TopicDef } from '../domain.ts';
import { OTHER_TOPIC_DEF } from '../edition/digest.ts';
import { ellipsize, knownArxivId, paperLinks, plural, TITLE_CHARS } from './links.ts';
import { readable } from './readable.ts';
import { escapeHtml } from './recipient.ts';
import { DEFAULT_FEED_EDITIONS, editionUrl, paperAnchor, siteName, xmlSafe, type SiteInput } from './site-input.ts';

/**
 * Feeds aim to stay under this size (bytes): the oldest editions' items go first, then descriptions are cut.
 * The latest edition (and the papers waiting for the next one) is never cut from a feed: a day larger than
 * this makes a larger file rather than a reader who misses papers.
 */
export const MAX_FEED_BYTES = 2 * 1024 * 1024;

// Same cap as the email's cards: real titles stay under ~250 characters.
// Authors named in dc:creator and JSON `authors`; the rest become "et al." (some papers list hundreds).
const MAX_AUTHORS = 10;
const FIRST_ABSTRACT_CHARS = 2000;
const MIN_ABSTRACT_CHARS = 100;
/** Feed names of our own; a topic with one of these slugs gets `topic-<slug>` instead of overwriting it. */
const RESERVED = new Set(['all', 'editions', 'opml']);

interface FeedItem {
  id: string;
  /** Never dropped by the size guard: a paper of the latest edition or waiting for the next one. */
  kept: boolean;
  title: string;
  url: string;
  description: string;
  date: string;
  categories: string[];
  authors: string[];
}

interface FeedSpec {
  name: string;
  title: string;
  description: string;
  homeUrl: string;
  items: FeedItem[];
}

/** A paper together with the edition that published it (its archive page), or null while it waits for the next one. */
interface Placed {
  ep: EditionPaper;
  editionId: string | null;
  kept: boolean;
}

export function feedUrl(baseUrl: string, name: string, ext: 'xml' | 'json') {
  return `${baseUrl}/feeds/${name}.${ext}`;
}

/** The feed file name (without extension) of a topic. */
export const topicFeedName = (slug: string) => (RESERVED.has(slug) ? `topic-${slug}` : slug);

/** The topics that get a feed: topics.yaml's, then "Other" (papers matching none), each once. */
export function feedTopics(input: SiteInput): TopicDef[] {
  const own = input.topics.filter((t) => t.slug !== OTHER_TOPIC);
  return [...own, input.topics.find((t) => t.slug === OTHER_TOPIC) ?? OTHER_TOPIC_DEF];
}

/** Editions that went out; an empty one has no page and no feed item. */
export const publishedEditions = (input: SiteInput): Edition[] => input.editions.filter((e) => e.status === 'published');

/** Does a paper belong in a topic's feed (any of its topics; "other" when it has none)? */
export const inTopic = (ep: EditionPaper, slug: string) =>
  slug === OTHER_TOPIC ? ep.classification.topics.length === 0 : ep.classification.topics.some((t) => t.slug === slug);

function paperItem({ ep, editionId, kept }: Placed, input: SiteInput, names: Map<string, string>): FeedItem {
  const { paper } = ep;
  // A paper waiting for the next edition has its card on the landing page until then.
  const onArchive = `${editionId === null ? `${input.baseUrl}/` : editionUrl(input.baseUrl, editionId)}#${paperAnchor(paper.id)}`;
  const authors = paper.authors.map((a) => xmlSafe(readable(a)).trim()).filter((a) => a !== '');
  return {
    // Never changes for a paper: the id is stable across formats, runs and editions.
    id: xmlSafe(`paperboy:paper:${paper.id}`),
    kept,
    title: xmlSafe(ellipsize(readable(paper.title), TITLE_CHARS)).replace(/\s+/g, ' ').trim(),
    // Only a well-formed arXiv id makes a link out; anything else points at the card on our archive page.
    url: knownArxivId(paper.arxivId) !== null ? paperLinks(paper).primary : onArchive,
    // Whole here; renderPair cuts it to what the feed's size allows.
    description: xmlSafe(readable(paper.abstract)).replace(/\s+/g, ' ').trim(),
    // When it first reached the feeds: distinct per paper, in listing order (edition/listing-times.ts).
    date: listedAt(paper),
    // Topics first, then the paper's arXiv categories (primary first) when a source or enrichment knew them.
    categories: [
      ...(ep.classification.topics.length ? ep.classification.topics.map((t) => xmlSafe(names.get(t.slug) ?? t.slug)) : [OTHER_TOPIC_DEF.name]),
      ...(paper.categories ?? []).map(xmlSafe),
    ],
    authors,
  };
}

/** A paper's feed date: when it first reached the feeds, or (not stamped yet) when it was first seen. */
const listedAt = (paper: EditionPaper['paper']) => paper.listedAt ?? paper.firstSeen;

/**
 * The papers the feeds hold: those waiting for the next edition, then every paper of the newest
 * `feedEditions` editions, each once, newest first by feed date (then the editions' own order). If a
 * re-ingest put a paper in two editions, the newer edition's copy wins (editions come newest first).
 */
function allPapers(input: SiteInput): Placed[] {
  const seen = new Set<string>();
  const list: Placed[] = [];
  const add = (ep: EditionPaper, editionId: string | null, kept: boolean) => {
    if (seen.has(ep.paper.id)) return;
    seen.add(ep.paper.id);
    list.push({ ep, editionId, kept });
  };
  for (const ep of input.pending ?? []) add(ep, null, true);
  publishedEditions(input)
    .slice(0, Math.max(1, input.feedEditions ?? DEFAULT_FEED_EDITIONS))
    .forEach((e, i) => e.papers.forEach((ep) => add(ep, e.id, i === 0)));
  return list
    .map((p, i) => ({ p, i }))
    .sort((a, b) => listedAt(b.p.ep.paper).localeCompare(listedAt(a.p.ep.paper)) || a.i - b.i)
    .map((x) => x.p);
}

/** RFC 822 date of an ISO timestamp; a broken one falls back to the epoch rather than "Invalid Date". */
const rfc822 = (iso: string) => {
  const d = new Date(iso);
  return (Number.isNaN(d.getTime()) ? new Date(0) : d).toUTCString();
};

function rssXml(spec: FeedSpec, fallbackDate: string, input: SiteInput): string {
  // The newest item's date (items come newest first), so nothing in the file depends on the clock.
  const newest = spec.items.reduce((max, it) => (it.date > max ? it.date : max), spec.items[0]?.date ?? fallbackDate);
  const feed = new RSS({
    title: xmlSafe(spec.title),
    description: xmlSafe(spec.description),
    feed_url: feedUrl(input.baseUrl, spec.name, 'xml'),
    site_url: spec.homeUrl,
    generator: 'paperboy',
    language: 'en',
    pubDate: rfc822(newest),
    ttl: 360,
  });
  for (const it of spec.items) {
    feed.item({
      // RSS titles are plain text to readers, descriptions HTML: an abstract's "<EOS>" or "<img onerror=…>"
      // must reach the reader as text, so the description is HTML-escaped (inside the package's CDATA).
      title: it.title,
      description: escapeHtml(it.description),
      url: it.url,
      guid: it.id,
      categories: it.categories,
      // The rss package writes `author` as <dc:creator> (RSS's own <author> wants an email address).
      author: it.authors.length ? it.authors.slice(0, MAX_AUTHORS).join(', ') + (it.authors.length > MAX_AUTHORS ? ' et al.' : '') : undefined,
      date: rfc822(it.date),
    });
  }
  // The rss package stamps lastBuildDate with "now"; pin it to the newest item so equal input gives equal bytes.
  return feed.xml({ indent: true }).replace(/<lastBuildDate>[^<]*<\/lastBuildDate>/, `<lastBuildDate>${rfc822(newest)}</lastBuildDate>`);
}

function jsonFeed(spec: FeedSpec, input: SiteInput): string {
  return JSON.stringify(
    {
      version: 'https://jsonfeed.org/version/1.1',
      title: spec.title,
      description: spec.description,
      home_page_url: spec.homeUrl,
      feed_url: feedUrl(input.baseUrl, spec.name, 'json'),
      language: 'en',
      items: spec.items.map((it) => ({
        id: it.id,
        url: it.url,
        title: it.title,
        content_text: it.description,
        date_published: it.date,
        tags: it.categories,
        ...(it.authors.length ? { authors: it.authors.slice(0, MAX_AUTHORS).map((name) => ({ name })) } : {}),
      })),
    },
    null,
    2,
  );
}

/** The spec with every description cut to `chars` code points (an ellipsis marks a cut). */
const cutDescriptions = (spec: FeedSpec, chars: number): FeedSpec => ({
  ...spec,
  // UTF-16 length bounds the code points: most abstracts fit and skip the code-point walk.
  items: spec.items.map((it) => (it.description.length <= chars ? it : { ...it, description: ellipsize(it.description, chars) })),
});

/**
 * Renders one feed as RSS and JSON. Descriptions start at FIRST_ABSTRACT_CHARS; when the RSS file would pass
 * MAX_FEED_BYTES the oldest items that may go (not the latest edition's) are dropped, then descriptions cut to
 * what should fit (down to MIN_ABSTRACT_CHARS). Each retry is a whole render, so the cuts aim rather than step.
 */
function renderPair(full: FeedSpec, fallbackDate: string, input: SiteInput, files: Map<string, string>): void {
  let chars = FIRST_ABSTRACT_CHARS;
  let whole = full;
  let spec = cutDescriptions(whole, chars);
  let xml = rssXml(spec, fallbackDate, input);
  const over = () => Buffer.byteLength(xml) > MAX_FEED_BYTES;
  let droppable = whole.items.filter((it) => !it.kept).length;
  while (over() && droppable > 0) {
    // Scale by the overshoot (a little under, so one round nearly always does it), dropping at least one.
    const keep = Math.floor(((whole.items.length * MAX_FEED_BYTES) / Buffer.byteLength(xml)) * 0.97);
    const drop = Math.min(droppable, Math.max(1, whole.items.length - keep));
    // Items come newest first: the last `drop` of those that may go are the oldest.
    let seen = 0;
    const cutFrom = droppable - drop;
    whole = { ...whole, items: whole.items.filter((it) => it.kept || seen++ < cutFrom) };
    droppable -= drop;
    spec = cutDescriptions(whole, chars);
    xml = rssXml(spec, fallbackDate, input);
  }
  if (over()) {
    // Bytes scale with description length: the rest of the file is fixed, so aim at the room that leaves.
    const descBytes = spec.items.reduce((n, it) => n + Buffer.byteLength(it.description), 0);
    const room = MAX_FEED_BYTES * 0.98 - (Buffer.byteLength(xml) - descBytes);
    chars = Math.max(MIN_ABSTRACT_CHARS, Math.min(Math.floor(chars / 2), Math.floor((chars * room) / Math.max(1, descBytes))));
    spec = cutDescriptions(whole, chars);
    xml = rssXml(spec, fallbackDate, input);
  }
  while (over() && chars > MIN_ABSTRACT_CHARS) {
    chars = Math.max(MIN_ABSTRACT_CHARS, Math.floor(chars / 2));
    spec = cutDescriptions(whole, chars);
    xml = rssXml(spec, fallbackDate, input);
  }
  files.set(`feeds/${spec.name}.xml`, xml);
  files.set(`feeds/${spec.name}.json`, jsonFeed(spec, input));
}

export function renderFeeds(input: SiteInput): Map<string, string> {
  const files = new Map<string, string>();
  const name = siteName(input);
  const topics = feedTopics(input);
  const names = new Map(topics.map((t) => [t.slug, t.name]));
  const editions = publishedEditions(input);
  // With no papers at all, channel dates come from the newest edition (or the epoch): still no clock.
  const fallbackDate = editions[0]?.createdAt ?? '1970-01-01T00:00:00.000Z';
  const papers = allPapers(input);
  // Each paper's item is built once and shared by the all feed and its topic feeds.
  const items = new Map<Placed, FeedItem>();
  const pick = (list: Placed[]) => list.map((p) => items.get(p) ?? items.set(p, paperItem(p, input, names)).get(p)!);

  renderPair(
    { name: 'all', title: `${name}: all papers`, description: 'New research papers from the Hugging Face Daily Papers, as paperboy first saw them.', homeUrl: `${input.baseUrl}/`, items: pick(papers) },
    fallbackDate,
    input,
    files,
  );
  for (const topic of topics) {
    const mine = papers.filter((p) => inTopic(p.ep, topic.slug));
    // A renamed topic's old feed name gets the same feed, so readers subscribed before the rename keep their items.
    for (const slug of [topic.slug, ...(topic.formerly ?? [])]) {
      renderPair(
        { name: topicFeedName(slug), title: `${name}: ${topic.name}`, description: topic.description || topic.name, homeUrl: `${input.baseUrl}/`, items: pick(mine) },
        fallbackDate,
        input,
        files,
      );
    }
  }
  renderPair(
    {
      name: 'editions',
      title: `${name}: editions`,
      description: 'One item per daily edition, linking to its page in the archive.',
      homeUrl: `${input.baseUrl}/archive/`,
      items: editions.slice(0, Math.max(1, input.feedEditions ?? DEFAULT_FEED_EDITIONS)).map((e, i) => ({
        id: `paperboy:edition:${e.id}`,
        kept: i === 0,
        title: `${e.id}: ${plural(e.papers.length, 'new paper')}`,
        url: editionUrl(input.baseUrl, e.id),
        description: xmlSafe(e.papers.slice(0, 5).map((ep) => readable(ep.paper.title)).join(' · ')),
        date: e.createdAt,
        categories: [],
        authors: [],
      })),
    },
    fallbackDate,
    input,
    files,
  );
  files.set('feeds/opml.xml', opml(input));
  return files;
}

const xmlAttr = (s: string) => xmlSafe(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** One outline per RSS feed, so a reader subscribes to everything in one import (JSON twins would double it). */
function opml(input: SiteInput): string {
  const name = siteName(input);
  const outline = (feed: string, title: string, htmlUrl: string) =>
    `    <outline type="rss" text="${xmlAttr(title)}" title="${xmlAttr(title)}" xmlUrl="${xmlAttr(feedUrl(input.baseUrl, feed, 'xml'))}" htmlUrl="${xmlAttr(htmlUrl)}"/>`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<opml version="2.0">',
    `  <head><title>${xmlAttr(name)} feeds</title></head>`,
    '  <body>',
    outline('all', `${name}: all papers`, `${input.baseUrl}/`),
    outline('editions', `${name}: editions`, `${input.baseUrl}/archive/`),
    ...feedTopics(input).map((t) => outline(topicFeedName(t.slug), `${name}: ${t.name}`, `${input.baseUrl}/`)),
    '  </body>',
    '</opml>',
    '',
  ].join('\n');
}
