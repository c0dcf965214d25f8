// The arXiv API (`{base}/api/query`): one category's papers submitted on a day, and metadata by id or exact title.
import type { ParsedPaper } from '../domain.ts';
import { PaperboyError } from '../errors.ts';
import { looksLikeArxivAtom, readArxivFeed, type ArxivFeed } from '../ingest/formats/arxiv-atom.ts';
import { answerText, getListing, htmlAnswer, type DayListing, type SourceContext } from './context.ts';
import { type HttpClient, SourceError } from './http.ts';

/** arXiv's terms: no more than one request every three seconds, over a single connection. */
export const ARXIV_INTERVAL_MS = 3000;
/** Entries per listing page (arXiv allows up to 2000 per call; smaller pages answer faster and time out less). */
export const ARXIV_PAGE = 500;
/** Ids per id_list call. */
export const ARXIV_ID_BATCH = 50;
const MAX_PAGES = 10;

const queryUrl = (base: string, params: Record<string, string>) => `${base}/api/query?${new URLSearchParams(params)}`;

/** An answer's feed, or a clear line: an HTML error page, arXiv's plain-text "Rate exceeded.", a broken or hostile XML. */
export function readAnswer(body: Buffer, contentType: string | null, where: string): ArxivFeed {
  const text = answerText(body, where);
  if (!looksLikeArxivAtom(text)) {
    if (/html/i.test(contentType ?? '') || /^\s*<(?:!doctype html|html)/i.test(text)) throw htmlAnswer(text, where, 'an Atom feed');
    throw new SourceError(`${where}: answer is not an arXiv Atom feed (starts with "${text.slice(0, 60).replace(/\s+/g, ' ').trim()}")`);
  }
  try {
    return readArxivFeed(text);
  } catch (err) {
    if (err instanceof PaperboyError) throw new SourceError(`${where}: ${err.message}`);
    throw err;
  }
}

/** The papers of `category` submitted on `date` (UTC), page by page, each page a seed file as arXiv sent it. */
export async function fetchArxivDay(ctx: SourceContext, base: string, category: string, date: string): Promise<DayListing> {
  const where = `arxiv:${category} ${date}`;
  const d = date.replaceAll('-', '');
  const listing: DayListing = { files: [], papers: 0, notModified: 0 };
  const keeps: (() => void)[] = [];
  for (let page = 0; page < MAX_PAGES; page++) {
    const url = queryUrl(base, {
      search_query: `cat:${category} AND submittedDate:[${d}0000 TO ${d}2359]`,
      sortBy: 'submittedDate',
      sortOrder: 'ascending',
      start: String(page * ARXIV_PAGE),
      max_results: String(ARXIV_PAGE),
    });
    const got = await getListing(ctx, url, { accept: 'application/atom+xml' });
    if (got.cached) listing.notModified++;
    const feed = readAnswer(got.body, got.contentType, where);
    if (feed.papers.length === 0) break;
    if (feed.problems.length > feed.papers.length) throw new SourceError(`${where}: ${feed.problems.length} unreadable entries (first: ${feed.problems[0]!.message})`);
    keeps.push(got.keep);
    listing.files.push({ path: `arxiv-${category}/${date}${page ? `-p${page + 1}` : ''}.xml`, bytes: got.body });
    listing.papers += feed.papers.length;
    if (feed.total === null || (page + 1) * ARXIV_PAGE >= feed.total) break;
  }
  for (const keep of keeps) keep();
  return listing;
}

/** arXiv's records for up to ARXIV_ID_BATCH ids in one call (ids without version: the latest version). */
export async function arxivByIds(client: HttpClient, base: string, ids: string[]): Promise<ParsedPaper[]> {
  const url = queryUrl(base, { id_list: ids.join(','), start: '0', max_results: String(ids.length) });
  const res = await client.get(url, { headers: { accept: 'application/atom+xml' } });
  if (res.status !== 'ok') throw new SourceError('arXiv answered 304 to a request that was not conditional');
  return readAnswer(res.body, res.contentType, 'arXiv id lookup').papers;
}

/**
 * Candidates for a title: a phrase search in titles (`ti:"…"`) on the title's words only, since quotes, colons and
 * brackets mean something to arXiv's query parser. The caller accepts only an exact normalized-title match.
 */
export async function arxivByTitle(client: HttpClient, base: string, title: string): Promise<ParsedPaper[]> {
  const words = title.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/\\[a-zA-Z]+/g, ' ').replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
  if (words === '') return [];
  const url = queryUrl(base, { search_query: `ti:"${words}"`, start: '0', max_results: '5' });
  const res = await client.get(url, { headers: { accept: 'application/atom+xml' } });
  if (res.status !== 'ok') throw new SourceError('arXiv answered 304 to a request that was not conditional');
  return readAnswer(res.body, res.contentType, 'arXiv title lookup').papers;
}
