// The Hugging Face Daily Papers source: GET {base}/api/daily_papers?date=D, paged, as one JSON seed file per day.
import { parseHfJson } from '../ingest/formats/hf-json.ts';
import { checkParsed } from '../ingest/parse.ts';
import { answerText, getListing, htmlAnswer, type DayListing, type SourceContext } from './context.ts';
import { SourceError } from './http.ts';

/** Papers per page; a day rarely holds more than one page, but a busy one may. */
export const HF_PAGE = 100;
/** A day never holds this many pages; a server that ignores `p` must not keep us looping. */
const MAX_PAGES = 10;

export async function fetchHfDay(ctx: SourceContext, base: string, token: string | null, date: string): Promise<DayListing> {
  const where = `hf ${date}`;
  const headers: Record<string, string> = { accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const items: unknown[] = [];
  const seen = new Set<string>();
  const keeps: (() => void)[] = [];
  let notModified = 0;
  for (let page = 0; page < MAX_PAGES; page++) {
    const url = `${base}/api/daily_papers?${new URLSearchParams({ date, limit: String(HF_PAGE), p: String(page) })}`;
    const got = await getListing(ctx, url, headers);
    if (got.cached) notModified++;
    const list = readPage(got.body, got.contentType, where);
    keeps.push(got.keep);
    let added = 0;
    for (const item of list) {
      const id = paperId(item);
      if (id !== null && seen.has(id)) continue; // a server that ignores `p` repeats page one
      if (id !== null) seen.add(id);
      items.push(item);
      added++;
    }
    if (list.length < HF_PAGE || added === 0) break;
  }
  if (items.length === 0) return { files: [], papers: 0, notModified };
  const bytes = Buffer.from(JSON.stringify(items) + '\n');
  // The ingest will read this file: check it the same way now, so a listing it would reject is never written.
  try {
    const parsed = parseHfJson(bytes.toString('utf8'));
    checkParsed(parsed.format, parsed.papers.length, parsed.problems);
    for (const keep of keeps) keep();
    return { files: [{ path: `hf/${date}.json`, bytes }], papers: parsed.papers.length, notModified };
  } catch (err) {
    throw new SourceError(`${where}: listing unusable: ${(err as Error).message}`);
  }
}

/** One page: a JSON array of daily-paper items, or a clear line saying what came instead. */
function readPage(body: Buffer, contentType: string | null, where: string): unknown[] {
  const text = answerText(body, where);
  if (/html/i.test(contentType ?? '') || /^\s*</.test(text)) throw htmlAnswer(text, where, 'JSON');
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new SourceError(`${where}: answer is not valid JSON (truncated?): ${(err as Error).message}`);
  }
  if (Array.isArray(data)) return data;
  const error = data && typeof data === 'object' ? (data as Record<string, unknown>).error : undefined;
  if (error !== undefined) throw new SourceError(`${where}: answered with an error: ${String(typeof error === 'string' ? error : JSON.stringify(error)).slice(0, 200)}`);
  throw new SourceError(`${where}: answer is JSON but not a list of daily papers`);
}

function paperId(item: unknown): string | null {
  const paper = item && typeof item === 'object' ? (item as { paper?: { id?: unknown } }).paper : undefined;
  return typeof paper?.id === 'string' ? paper.id : null;
}
