// A reader's private feed (RSS 2.0 and JSON Feed 1.1): their picks with reasons, then the rest of their topics, per edition.
import RSS from 'rss';
import type { EditionPaper } from '../domain.ts';
import { ellipsize, knownArxivId, paperLinks, TITLE_CHARS } from './links.ts';
import { readable } from './readable.ts';
import { escapeHtml } from './recipient.ts';
import { editionUrl, paperAnchor, xmlSafe } from './site-input.ts';

export interface ReaderFeedEdition {
  id: string;
  picks: { paper: EditionPaper; reasons: string[] }[];
  /** The edition's other papers in the reader's topics. */
  papers: EditionPaper[];
}

export interface ReaderFeedInput {
  baseUrl: string;
  listName: string;
  /** The feed's own URLs and the reader's page (private: signed). */
  feedXml: string;
  feedJson: string;
  pageUrl: string;
  /** Newest first. */
  editions: ReaderFeedEdition[];
}

const MAX_ITEMS = 100;
const ABSTRACT_CHARS = 1200;

interface Item {
  id: string;
  title: string;
  url: string;
  text: string;
  date: string;
  tags: string[];
}

function items(input: ReaderFeedInput): Item[] {
  const out: Item[] = [];
  const seen = new Set<string>();
  // Every edition's picks first, so the item cap never drops a pick for an ordinary paper.
  const list = [
    ...input.editions.flatMap((e) => e.picks.map((p) => ({ e, ep: p.paper, reasons: p.reasons as string[] | null }))),
    ...input.editions.flatMap((e) => e.papers.map((ep) => ({ e, ep, reasons: null as string[] | null }))),
  ];
  for (const { e, ep, reasons } of list) {
    const { paper } = ep;
    if (seen.has(paper.id) || out.length >= MAX_ITEMS) continue;
    seen.add(paper.id);
    const abstract = ellipsize(readable(paper.abstract).replace(/\s+/g, ' ').trim(), ABSTRACT_CHARS);
    out.push({
      id: xmlSafe(`paperboy:paper:${paper.id}`),
      title: xmlSafe(ellipsize(readable(paper.title), TITLE_CHARS)).replace(/\s+/g, ' ').trim(),
      url: knownArxivId(paper.arxivId) !== null ? paperLinks(paper).primary : `${editionUrl(input.baseUrl, e.id)}#${paperAnchor(paper.id)}`,
      text: xmlSafe(reasons ? `Picked for you (${reasons.join('; ')}). ${abstract}` : abstract),
      date: paper.firstSeen,
      tags: reasons ? ['Picked for you'] : [],
    });
  }
  return out;
}

const rfc822 = (iso: string) => {
  const d = new Date(iso);
  return (Number.isNaN(d.getTime()) ? new Date(0) : d).toUTCString();
};

export function readerFeedXml(input: ReaderFeedInput): string {
  const list = items(input);
  const newest = list.reduce((m, it) => (it.date > m ? it.date : m), list[0]?.date ?? '1970-01-01T00:00:00Z');
  const feed = new RSS({
    title: xmlSafe(`${input.listName}: your digest`),
    description: xmlSafe(`Papers in your topics, your picks first, from ${input.listName}. This feed's address is private.`),
    feed_url: input.feedXml,
    site_url: input.pageUrl,
    generator: 'paperboy',
    language: 'en',
    pubDate: rfc822(newest),
    ttl: 360,
  });
  for (const it of list) feed.item({ title: it.title, description: escapeHtml(it.text), url: it.url, guid: it.id, categories: it.tags, date: rfc822(it.date) });
  return feed.xml({ indent: true }).replace(/<lastBuildDate>[^<]*<\/lastBuildDate>/, `<lastBuildDate>${rfc822(newest)}</lastBuildDate>`);
}

export function readerFeedJson(input: ReaderFeedInput): string {
  return JSON.stringify(
    {
      version: 'https://jsonfeed.org/version/1.1',
      title: `${input.listName}: your digest`,
      home_page_url: input.pageUrl,
      feed_url: input.feedJson,
      language: 'en',
      items: items(input).map((it) => ({ id: it.id, url: it.url, title: it.title, content_text: it.text, date_published: it.date, ...(it.tags.length ? { tags: it.tags } : {}) })),
    },
    null,
    2,
  );
}
