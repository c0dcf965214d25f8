// A polite HTTP GET for sources: one request at a time per client, spacing, Retry-After/RateLimit, timeouts,
// bounded retries with backoff, conditional requests and a size cap enforced while the body streams in.
import { readFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';

/** The clock and the sleeper; tests hand in fake ones so spacing and backoff cost no real time. */
export interface HttpTiming {
  now: () => number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export const realTiming: HttpTiming = {
  now: () => Date.now(),
  sleep: (ms, signal) => delay(ms, undefined, signal ? { signal } : undefined),
};

export interface HttpClientOptions {
  /** Names paperboy and how to reach the operator. */
  userAgent: string;
  /** Least time between the starts of two requests (arXiv: 3 s). */
  minIntervalMs: number;
  /** Per attempt, headers and body together. */
  timeoutMs: number;
  /** A body larger than this is refused while it streams in. */
  maxBytes: number;
  /** Extra attempts after a 5xx, a 429 or a network failure. */
  retries: number;
  /** First backoff; doubles per attempt. */
  backoffMs: number;
  /** The longest Retry-After honoured; a server asking for more fails this source for this run. */
  maxWaitMs: number;
  timing?: HttpTiming;
  signal?: AbortSignal;
}

export interface Validators {
  etag: string | null;
  lastModified: string | null;
}

export type GetResult =
  | { status: 'ok'; body: Buffer; contentType: string; validators: Validators }
  | { status: 'not-modified' };

/** A source that could not be read: the message is one line for the report. */
export class SourceError extends Error {
  override name = 'SourceError';
}

const VERSION = (() => {
  try {
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return '0';
  }
})();

/** `paperboy/0.1.0 (operator@example.org)`: who we are and whom to write to. */
export const userAgent = (contact: string) => `paperboy/${VERSION} (${contact})`;

/** Seconds (or an HTTP date) in Retry-After → milliseconds from now; null when absent or unreadable. */
export function retryAfterMs(value: string | null, now: number): number | null {
  if (!value) return null;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/**
 * The IETF RateLimit header (`"default";r=0;t=120`, as Hugging Face sends it, or the older `RateLimit-Remaining`/
 * `RateLimit-Reset` pair): remaining requests and seconds until the window resets.
 */
export function rateLimit(headers: Headers): { remaining: number; resetMs: number } | null {
  const combined = headers.get('ratelimit');
  if (combined) {
    const r = /(?:^|;)\s*r=(\d+)/.exec(combined);
    const t = /(?:^|;)\s*t=(\d+)/.exec(combined);
    if (r && t) return { remaining: Number(r[1]), resetMs: Number(t[1]) * 1000 };
  }
  const remaining = headers.get('ratelimit-remaining');
  const reset = headers.get('ratelimit-reset');
  if (remaining && reset && /^\d+$/.test(remaining.trim()) && /^\d+$/.test(reset.trim())) {
    return { remaining: Number(remaining), resetMs: Number(reset) * 1000 };
  }
  return null;
}

export class HttpClient {
  private readonly timing: HttpTiming;
  /** Requests wait for each other: one connection's worth of traffic, never a burst. */
  private queue: Promise<unknown> = Promise.resolve();
  private notBefore = 0;
  private lastStart = Number.NEGATIVE_INFINITY;
  /** Start times of every attempt (the clock's ms), for the report and for tests that check the spacing. */
  readonly starts: number[] = [];

  constructor(private readonly opts: HttpClientOptions) {
    this.timing = opts.timing ?? realTiming;
  }

  get(url: string, o: { headers?: Record<string, string>; validators?: Validators | null } = {}): Promise<GetResult> {
    const run = this.queue.then(() => this.attempts(url, o));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async waitTurn(): Promise<void> {
    const { now, sleep } = this.timing;
    const at = Math.max(this.notBefore, this.lastStart + this.opts.minIntervalMs);
    const wait = at - now();
    if (wait > 0) {
      try {
        await sleep(wait, this.opts.signal);
      } catch (err) {
        // SIGTERM while waiting our turn: stop this source without a stack trace or an AbortError's wording.
        if (this.opts.signal?.aborted) throw new SourceError('stopped before the next request');
        throw err;
      }
    }
    this.lastStart = now();
    this.starts.push(this.lastStart);
  }

  private async attempts(url: string, o: { headers?: Record<string, string>; validators?: Validators | null }): Promise<GetResult> {
    const where = new URL(url).host;
    let last = '';
    for (let attempt = 0; attempt <= this.opts.retries; attempt++) {
      if (this.opts.signal?.aborted) throw new SourceError(`${where}: stopped`);
      await this.waitTurn();
      const backoff = this.opts.backoffMs * 2 ** attempt;
      let res: Response;
      const timeout = new AbortController();
      const timer = setTimeout(() => timeout.abort(), this.opts.timeoutMs);
      const signal = this.opts.signal ? AbortSignal.any([timeout.signal, this.opts.signal]) : timeout.signal;
      try {
        const headers: Record<string, string> = { 'user-agent': this.opts.userAgent, ...o.headers };
        if (o.validators?.etag) headers['if-none-match'] = o.validators.etag;
        if (o.validators?.lastModified) headers['if-modified-since'] = o.validators.lastModified;
        try {
          res = await fetch(url, { headers, signal, redirect: 'follow' });
        } catch (err) {
          last = timeout.signal.aborted ? `no answer within ${this.opts.timeoutMs / 1000} s` : `cannot connect: ${describe(err)}`;
          if (this.opts.signal?.aborted) throw new SourceError(`${where}: stopped`);
          this.notBefore = this.timing.now() + backoff;
          continue;
        }
        this.noteRateLimit(res.headers);
        if (res.status === 304) {
          await res.body?.cancel();
          return { status: 'not-modified' };
        }
        if (res.status === 429 || res.status >= 500) {
          await res.body?.cancel().catch(() => undefined);
          const asked = retryAfterMs(res.headers.get('retry-after'), this.timing.now()) ?? (res.status === 429 ? rateLimit(res.headers)?.resetMs ?? null : null);
          last = `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`;
          if (asked !== null && asked > this.opts.maxWaitMs) {
            throw new SourceError(`${where}: ${last}, asked to wait ${Math.ceil(asked / 1000)} s (more than the ${this.opts.maxWaitMs / 1000} s we wait); try again later`);
          }
          this.notBefore = this.timing.now() + Math.max(asked ?? 0, backoff);
          continue;
        }
        if (res.status !== 200) {
          // The server's own words (a JSON error, an HTML title) say more than the status: "Invalid credentials".
          const why = await reason(res);
          throw new SourceError(`${where}: HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''} for ${new URL(url).pathname}${why ? `: ${why}` : ''}`);
        }
        let body: Buffer;
        try {
          body = await readCapped(res, this.opts.maxBytes, where);
        } catch (err) {
          if (err instanceof SourceError) throw err;
          // The connection broke mid-body (or the timer fired): the answer is truncated; try again.
          last = timeout.signal.aborted ? `no whole answer within ${this.opts.timeoutMs / 1000} s` : `answer cut off: ${describe(err)}`;
          this.notBefore = this.timing.now() + backoff;
          continue;
        }
        return {
          status: 'ok',
          body,
          contentType: res.headers.get('content-type') ?? '',
          validators: { etag: res.headers.get('etag'), lastModified: res.headers.get('last-modified') },
        };
      } finally {
        clearTimeout(timer);
      }
    }
    throw new SourceError(`${where}: ${last} (gave up after ${this.opts.retries + 1} attempts)`);
  }

  /** A window with nothing left: the next request waits for its reset instead of earning a 429. */
  private noteRateLimit(headers: Headers): void {
    const rl = rateLimit(headers);
    if (rl && rl.remaining === 0) this.notBefore = Math.max(this.notBefore, this.timing.now() + Math.min(rl.resetMs, this.opts.maxWaitMs));
  }
}

/** Reads the body, refusing it once it passes `max` bytes: a 100 MB answer never sits in memory. */
async function readCapped(res: Response, max: number, where: string): Promise<Buffer> {
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > max) {
    await res.body?.cancel().catch(() => undefined);
    throw new SourceError(`${where}: answer of ${declared} bytes is over the ${max}-byte limit; refused`);
  }
  if (!res.body) return Buffer.alloc(0);
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      await reader.cancel().catch(() => undefined);
      throw new SourceError(`${where}: answer passed the ${max}-byte limit while downloading; refused`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total);
}

/** The first words of an error answer: a JSON `error`/`message`, an HTML title, or short plain text. */
async function reason(res: Response): Promise<string> {
  let text: string;
  try {
    text = (await readCapped(res, 4096, '')).toString('utf8');
  } catch {
    return '';
  }
  let said: unknown;
  try {
    const data = JSON.parse(text) as Record<string, unknown>;
    said = data.error ?? data.message;
  } catch {
    said = /<title[^>]*>([^<]+)/i.exec(text)?.[1] ?? (/^[^<{]{1,200}$/.test(text.trim()) ? text : undefined);
  }
  return typeof said === 'string' ? said.replace(/\s+/g, ' ').trim().slice(0, 200) : '';
}

function describe(err: unknown): string {
  const e = err as Error & { cause?: { code?: string; message?: string } };
  return e.cause?.code ?? e.cause?.message ?? e.message ?? String(err);
}
