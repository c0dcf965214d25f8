// What every source needs to fetch one day: a polite client, the conditional-request state and the clock.
import type { FetchStateRepo } from '../store/fetch-state.ts';
import { type HttpClient, SourceError } from './http.ts';

export interface SourceContext {
  client: HttpClient;
  state: FetchStateRepo;
  now: () => Date;
}

/** One seed file a source produced for a day, relative to the seeds folder. */
export interface SeedOut {
  path: string;
  bytes: Buffer;
}

export interface DayListing {
  files: SeedOut[];
  papers: number;
  /** Pages the server answered 304 Not Modified (rebuilt from the stored copy). */
  notModified: number;
}

/**
 * GET with If-None-Match/If-Modified-Since from the last answer; a 304 gives the stored body back. `keep()` stores
 * the validators: call it only once the body proved usable, so a bad answer is never replayed from a 304 later.
 */
export async function getListing(
  ctx: SourceContext,
  url: string,
  headers: Record<string, string> = {},
): Promise<{ body: Buffer; contentType: string | null; cached: boolean; keep: () => void }> {
  const cached = ctx.state.get(url);
  const res = await ctx.client.get(url, { headers, validators: cached });
  if (res.status === 'not-modified') {
    if (!cached) throw new SourceError(`${new URL(url).host}: answered 304 Not Modified to a request that was not conditional`);
    return { body: cached.body, contentType: null, cached: true, keep: () => {} };
  }
  return { body: res.body, contentType: res.contentType, cached: false, keep: () => ctx.state.put(url, { ...res.validators, body: res.body }, ctx.now()) };
}

/** Text of an answer that must be UTF-8; the first characters of an HTML error page say what went wrong. */
export function answerText(body: Buffer, where: string): string {
  const text = body.toString('utf8');
  if (text.includes('\uFFFD') && !body.includes(Buffer.from('\uFFFD'))) throw new SourceError(`${where}: answer is not UTF-8 text`);
  return text;
}

/** "answered an HTML page (title: 502 Bad Gateway)": the line an operator needs when a proxy answers for the API. */
export function htmlAnswer(text: string, where: string, wanted: string): SourceError {
  const title = /<title[^>]*>([^<]{1,120})/i.exec(text)?.[1]?.replace(/\s+/g, ' ').trim();
  return new SourceError(`${where}: answered an HTML page instead of ${wanted}${title ? ` (title: ${title})` : ''}`);
}
