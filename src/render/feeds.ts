// RSS 2.0 (the rss package), JSON Feed 1.1 and OPML for all papers, each topic and the editions: pure, byte-stable.
import RSS from 'rss';
import { OTHER_TOPIC, type EditionPaper, type TopicDef } from '../domain.ts';
import { OTHER_TOPIC_DEF } from '../edition/digest.ts';
import { paperLinks } from './links.ts';
import { readable } from './readable.ts';
import { editionUrl, paperAnchor, siteName, xmlSafe, type SiteInput } from './site-input.ts';

/** Feeds stay under this size (bytes); descriptions are cut further when a feed would not fit. */
export const MAX_FEED_BYTES = 512 * 1024;

interface FeedItem {
  id: string;
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

export function feedUrl(baseUrl: string, name: string, ext: 'xml' | 'json') {
  return `${baseUrl}/feeds/${name}.${ext}`;
}

function paperItem(ep: EditionPaper, input: SiteInput, names: Map<string, string>, abstractChars: number): FeedItem {
  const { paper } = ep;
  const links = paperLinks(paper);
  const onArchive = `${editionUrl(input.baseUrl, paper.editionId ?? '')}#${paperAnchor(paper.id)}`;
  const abstract = readable(paper.abstract);
  return {
    // Never changes for a paper: the id is stable across formats and runs.
    id: `paperboy:paper:${paper.id}`,
    title: xmlSafe(readable(paper.title)),
    url: paper.arxivId ? links.primary : onArchive,
    description: xmlSafe(abstract.length > abstractChars ? abstract.slice(0, abstractChars).replace(/\s+\S*$/, '') + '…' : abstract),
    date: paper.firstSeen,
    categories: ep.classification.topics.length
      ? ep.classification.topics.map((t) => names.get(t.slug) ?? t.slug)
      : [OTHER_TOPIC_DEF.name],
    authors: paper.authors.map(xmlSafe),
  };
}

/** Papers of the published editions, newest first (first seen, then the edition's own order). */
function allPapers(input: SiteInput): EditionPaper[] {
  const list = input.editions.flatMap((e) => e.papers);
  return list
    .map((ep, i) => ({ ep, i }))
    .sort((a, b) => b.ep.paper.firstSeen.localeCompare(a.ep.paper.firstSeen) || a.i - b.i)
    .map((x) => x.ep);
}

function rssXml(spec: FeedSpec, input: SiteInput): string {
  const newest = spec.items[0]?.date ?? input.editions[0]?.createdAt ?? '1970-01-01T00:00:00.000Z';
  const feed = new RSS({
    title: xmlSafe(spec.title),
    description: xmlSafe(spec.description),
    feed_url: feedUrl(input.baseUrl, spec.name, 'xml'),
    site_url: spec.homeUrl,
    generator: 'paperboy',
    pubDate: newest,
    ttl: 360,
  });
  for (const it of spec.items) {
    feed.item({ title: it.title, description: it.description, url: it.url, guid: it.id, categories: it.categories, author: it.authors.slice(0, 3).join(', ') || undefined, date: it.date });
  }
  // The rss package stamps lastBuildDate with "now"; pin it to the newest item so equal input gives equal bytes.
  return feed.xml({ indent: true }).replace(/<lastBuildDate>[^<]*<\/lastBuildDate>/, `<lastBuildDate>${new Date(newest).toUTCString()}</lastBuildDate>`);
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
        ...(it.authors.length ? { authors: it.authors.slice(0, 10).map((name) => ({ name })) } : {}),
      })),
    },
    null,
    2,
  );
}

/** Renders a feed, cutting descriptions until the RSS file fits MAX_FEED_BYTES. */
function renderPair(make: (abstractChars: number) => FeedSpec, input: SiteInput, files: Map<string, string>): void {
  let chars = 2000;
  let spec = make(chars);
  let xml = rssXml(spec, input);
  while (Buffer.byteLength(xml) > MAX_FEED_BYTES && chars > 100) {
    chars = Math.floor(chars / 2);
    spec = make(chars);
    xml = rssXml(spec, input);
  }
  files.set(`feeds/${spec.name}.xml`, xml);
  files.set(`feeds/${spec.name}.json`, jsonFeed(spec, input));
}

export function feedTopics(input: SiteInput): TopicDef[] {
  return [...input.topics, OTHER_TOPIC_DEF];
}

export function renderFeeds(input: SiteInput): Map<string, string> {
  const files = new Map<string, string>();
  const name = siteName(input);
  const names = new Map(feedTopics(input).map((t) => [t.slug, t.name]));
  const papers = allPapers(input);
  const pick = (list: EditionPaper[], chars: number) => list.slice(0, input.feedItems).map((ep) => paperItem(ep, input, names, chars));

  renderPair((chars) => ({ name: 'all', title: `${name}: all papers`, description: 'New research papers from the Hugging Face Daily Papers, as paperboy first saw them.', homeUrl: `${input.baseUrl}/`, items: pick(papers, chars) }), input, files);
  for (const topic of feedTopics(input)) {
    const mine = papers.filter((ep) =>
      topic.slug === OTHER_TOPIC ? ep.classification.topics.length === 0 : ep.classification.topics.some((t) => t.slug === topic.slug),
    );
    renderPair((chars) => ({ name: topic.slug, title: `${name}: ${topic.name}`, description: topic.description || topic.name, homeUrl: `${input.baseUrl}/`, items: pick(mine, chars) }), input, files);
  }
  renderPair(
    () => ({
      name: 'editions',
      title: `${name}: editions`,
      description: 'One item per daily edition, linking to its page in the archive.',
      homeUrl: `${input.baseUrl}/archive/`,
      items: input.editions.slice(0, input.feedItems).map((e) => ({
        id: `paperboy:edition:${e.id}`,
        title: `${e.id}: ${e.papers.length} new papers`,
        url: editionUrl(input.baseUrl, e.id),
        description: xmlSafe(e.papers.slice(0, 5).map((ep) => readable(ep.paper.title)).join(' · ')),
        date: e.createdAt,
        categories: [],
        authors: [],
      })),
    }),
    input,
    files,
  );
  files.set('feeds/opml.xml', opml(input));
  return files;
}

const xmlAttr = (s: string) => xmlSafe(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** One outline per RSS feed, so a reader subscribes to everything in one import. */
function opml(input: SiteInput): string {
  const name = siteName(input);
  const outline = (slug: string, title: string) =>
    `    <outline type="rss" text="${xmlAttr(title)}" title="${xmlAttr(title)}" xmlUrl="${xmlAttr(feedUrl(input.baseUrl, slug, 'xml'))}" htmlUrl="${xmlAttr(input.baseUrl + '/')}"/>`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<opml version="2.0">',
    `  <head><title>${xmlAttr(name)} feeds</title></head>`,
    '  <body>',
    outline('all', `${name}: all papers`),
    outline('editions', `${name}: editions`),
    ...feedTopics(input).map((t) => outline(t.slug, `${name}: ${t.name}`)),
    '  </body>',
    '</opml>',
    '',
  ].join('\n');
}
