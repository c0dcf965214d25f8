// Sliding-window limiters for the subscribe form: in memory (tests, one process) or kept in the store (serve).
import { createHmac } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';
import type { ConfirmRequestsRepo } from '../store/confirm-requests.ts';

export interface Limiter {
  /** Records a hit for `key` at `now` (ms) and says whether it is within the limit. */
  take(key: string, now: number): boolean;
}

/** A limiter whose counts live in the store: a restarted server remembers who asked for what. */
export function storedLimiter(counts: ConfirmRequestsRepo, prefix: string, limit: number, windowMs: number): Limiter {
  return { take: (key, now) => counts.take(`${prefix}${key}`, now, limit, windowMs) };
}

export class RateLimiter implements Limiter {
  private hits = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly maxKeys = 100_000,
  ) {}

  /** Records a hit for `key` at `now` and says whether it is within the limit. */
  take(key: string, now: number): boolean {
    const since = now - this.windowMs;
    const list = (this.hits.get(key) ?? []).filter((t) => t > since);
    if (list.length >= this.limit) {
      this.hits.set(key, list);
      return false;
    }
    list.push(now);
    // Bounded memory under a flood of distinct keys: drop the oldest keys first.
    if (!this.hits.has(key) && this.hits.size >= this.maxKeys) this.hits.delete(this.hits.keys().next().value!);
    this.hits.set(key, list);
    return true;
  }
}

/** The key an email address is limited by: an HMAC under the first secret, so stored counts name no one. */
export function addressKey(secrets: readonly string[], email: string): string {
  return createHmac('sha256', secrets[0] ?? '').update(`confirm-limit:${email}`).digest('base64url').slice(0, 22);
}

/**
 * The key a client's address is limited by. One IPv6 host usually holds a whole /64 (and can pick any
 * address in it), so IPv6 counts per /64; IPv4 (also written as ::ffff:a.b.c.d) per address.
 */
export function clientKey(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped && isIPv4(mapped[1]!)) return mapped[1]!;
  const bare = ip.replace(/%.*$/, ''); // zone index (fe80::1%eth0)
  if (!isIPv6(bare)) return ip;
  const [head, tail = ''] = bare.toLowerCase().split('::') as [string, string?];
  const groups = (s: string) => (s === '' ? [] : s.split(':'));
  let left = groups(head);
  let right = groups(tail);
  // An embedded IPv4 tail (::ffff:1.2.3.4 handled above; 64:ff9b::1.2.3.4 here) is two groups' worth.
  const toHex = (g: string[]) => g.flatMap((x) => (x.includes('.') ? ['0', '0'] : [x]));
  left = toHex(left);
  right = toHex(right);
  const full = bare.includes('::') ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${full.slice(0, 4).map((g) => parseInt(g, 16).toString(16)).join(':')}::/64`;
}
