// Test data for feeds, pages and the server: real seed papers plus hostile ones, a site folder on disk, the server on port 0.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Edition, TopicDef } from '../../src/domain.ts';
import { renderFeeds } from '../../src/render/feeds.ts';
import type { SiteInput } from '../../src/render/site-input.ts';
import { renderSite } from '../../src/render/site.ts';
import { writeSite, type WriteResult } from '../../src/render/site-writer.ts';
import { buildServer } from '../../src/server/http.ts';
import { edition, ep, paper, seedEdition, TOPICS } from '../render/factory.ts';

export const BASE = 'https://papers.example.org';
export { TOPICS };

/** Titles a seed file could carry that try to break out of CDATA, markup or XML itself. */
export const HOSTILE_TITLES = [
  ']]><script>alert(1)</script>',
  'Control \u0000\u0001\u0007\u001b\u001f chars, \uFFFE and a lone \uD800 surrogate in a title',
  '<img src=x onerror=alert(1)> image tag',
  'Fish & chips: "double" and \'single\' quotes <b>bold</b> &amp; &lt;entities&gt;',
  'Emoji 🧪🚀 and a scientist 👩‍🔬 in a title',
  'RTL ‏שלום עולם‏ and مرحبا بالعالم with an override \u202Egnirts\u202C inside',
];

/** What a feed reader should show for a hostile title: the same text minus the characters XML forbids. */
export const shownTitle = (title: string) =>
  title.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '').toWellFormed().replace(/\uFFFD/g, '').replace(/\s+/g, ' ').trim();

/** One edition of hostile papers: titles above, abstracts and authors in the same spirit, one bogus arXiv id. */
export function hostileEdition(id: string): Edition {
  const papers = HOSTILE_TITLES.map((title, i) =>
    ep(
      paper({
        title,
        abstract: `${title} — and the abstract adds ]]></description><item><title>forged</title> plus <script>alert(2)</script>. Second sentence here.`,
        authors: ['<b>Mallory</b>', 'Eve & "Trudy"', ']]>', 'Ålfrida Ñúñez 🧪'],
        // A malformed id must never become a link: the feed falls back to the archive anchor.
        arxivId: i === 2 ? 'javascript:alert(1)//' : i % 2 === 0 ? `2411.0900${i}` : null,
        upvotes: 100 - i,
        firstSeen: `${id}T06:00:0${i}Z`,
      }),
      ['llm', ['<LLM> & "friends"']],
      ['safety', ['jailbreak']],
    ),
  );
  return edition(id, papers, [{ phrase: '<script>alert(3)</script>', count: 2, score: 9 }]);
}

/** Real seed papers as an edition, first seen on its date (so editions sort by date in the feeds). */
function seedDay(id: string, count: number, offset: number): Edition {
  const e = seedEdition(id, count, offset);
  e.papers.forEach((x, i) => (x.paper.firstSeen = `${id}T05:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}Z`));
  return e;
}

/**
 * Three published editions (hostile, then two days of real seeds) and an empty one, newest first as the
 * store hands them over. Built fresh each call: the factory's paper ids come from a counter.
 */
export function siteInput(opts: { baseUrl?: string; feedEditions?: number; topics?: TopicDef[] } = {}): SiteInput {
  const empty = edition('2026-11-26', []);
  return {
    editions: [empty, hostileEdition('2026-11-25'), seedDay('2026-11-24', 120, 0), seedDay('2026-11-23', 60, 120)],
    topics: opts.topics ?? TOPICS,
    baseUrl: opts.baseUrl ?? BASE,
    feedEditions: opts.feedEditions ?? 7,
  };
}

/** Feeds and pages of an input, as `writeSite` takes them. */
export const renderAll = (input: SiteInput) => new Map([...renderFeeds(input), ...renderSite(input)]);

/** Renders and writes a site into a fresh temp folder. */
export function writeSiteDir(input: SiteInput, dir = mkdtempSync(join(tmpdir(), 'paperboy-site-'))): { dir: string; result: WriteResult } {
  return { dir, result: writeSite(dir, renderAll(input)) };
}

export interface ServedSite {
  server: FastifyInstance;
  /** Where the server listens, e.g. `http://127.0.0.1:40123` (also the site's baseUrl). */
  url: string;
  dir: string;
  input: SiteInput;
  close(): Promise<void>;
}

/** The real server on 127.0.0.1 port 0, serving a site rendered with its own URL as baseUrl (feed links resolve). */
export async function serveSite(
  make: (baseUrl: string) => SiteInput = (baseUrl) => siteInput({ baseUrl }),
  extraRoutes?: (app: FastifyInstance) => void,
): Promise<ServedSite> {
  const dir = mkdtempSync(join(tmpdir(), 'paperboy-served-'));
  const server = await buildServer({ siteDir: dir, baseUrl: 'http://127.0.0.1', extraRoutes });
  const url = await server.listen({ port: 0, host: '127.0.0.1' });
  const input = make(url);
  writeSiteDir(input, dir);
  return { server, url, dir, input, close: () => server.close() };
}

/** Problems with a JSON Feed 1.1 document (https://jsonfeed.org/version/1.1): required fields and types. */
export function jsonFeedProblems(feed: unknown): string[] {
  const problems: string[] = [];
  const f = feed as Record<string, unknown>;
  const str = (v: unknown) => typeof v === 'string' && v !== '';
  const url = (v: unknown) => str(v) && /^https?:\/\//.test(v as string);
  if (f.version !== 'https://jsonfeed.org/version/1.1') problems.push('version');
  if (!str(f.title)) problems.push('title');
  if (f.home_page_url !== undefined && !url(f.home_page_url)) problems.push('home_page_url');
  if (f.feed_url !== undefined && !url(f.feed_url)) problems.push('feed_url');
  if (!Array.isArray(f.items)) return [...problems, 'items'];
  const ids = new Set<string>();
  (f.items as Record<string, unknown>[]).forEach((it, i) => {
    if (!str(it.id)) problems.push(`items[${i}].id`);
    if (ids.has(it.id as string)) problems.push(`items[${i}].id duplicate`);
    ids.add(it.id as string);
    if (typeof it.content_text !== 'string' && typeof it.content_html !== 'string') problems.push(`items[${i}] needs content_text or content_html`);
    if (it.url !== undefined && !url(it.url)) problems.push(`items[${i}].url`);
    // RFC 3339: what Date.parse accepts and carries a zone.
    if (it.date_published !== undefined && !(typeof it.date_published === 'string' && /T.*(Z|[+-]\d\d:\d\d)$/.test(it.date_published) && !Number.isNaN(Date.parse(it.date_published)))) {
      problems.push(`items[${i}].date_published`);
    }
    if (it.tags !== undefined && !(Array.isArray(it.tags) && it.tags.every(str))) problems.push(`items[${i}].tags`);
    if (it.authors !== undefined && !(Array.isArray(it.authors) && it.authors.every((a) => str((a as { name?: unknown }).name)))) problems.push(`items[${i}].authors`);
  });
  return problems;
}
