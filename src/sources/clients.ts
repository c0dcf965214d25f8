// The HTTP clients sources use, one per server, with each server's own manners.
import type { Config } from '../config.ts';
import { ARXIV_INTERVAL_MS } from './arxiv.ts';
import { HttpClient, type HttpTiming, userAgent } from './http.ts';

const COMMON = {
  timeoutMs: 30_000,
  // A day's listing is well under a megabyte; 32 MiB leaves room and still refuses a runaway answer early.
  maxBytes: 32 * 1024 * 1024,
  retries: 3,
  // Hugging Face counts requests per 5 minutes: a Retry-After up to that is worth waiting for, beyond it is not.
  maxWaitMs: 5 * 60_000,
};

export interface Clients {
  hf: HttpClient;
  arxiv: HttpClient;
}

export function sourceClients(config: Config, timing?: HttpTiming, signal?: AbortSignal): Clients {
  const ua = userAgent(config.sources.contact);
  return {
    // One request a second is far below Hugging Face's limits; 429s and RateLimit headers are obeyed on top.
    hf: new HttpClient({ ...COMMON, userAgent: ua, minIntervalMs: 1000, backoffMs: 2000, timing, signal }),
    arxiv: new HttpClient({ ...COMMON, userAgent: ua, minIntervalMs: ARXIV_INTERVAL_MS, backoffMs: ARXIV_INTERVAL_MS, timing, signal }),
  };
}
