// The polite HTTP client against local servers: spacing, Retry-After, RateLimit, 5xx backoff, timeouts, size caps, 304s.
import { afterEach, describe, expect, it } from 'vitest';
import { HttpClient, type HttpClientOptions, retryAfterMs, SourceError, userAgent } from '../../src/sources/http.ts';
import { fakeServer, fakeTiming, json, type FakeServer } from './fakes.ts';

const servers: FakeServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

async function serve(handler: Parameters<typeof fakeServer>[0]) {
  const s = await fakeServer(handler);
  servers.push(s);
  return s;
}

function client(o: Partial<HttpClientOptions> = {}) {
  const timing = fakeTiming();
  const c = new HttpClient({
    userAgent: userAgent('ops@lab.example'),
    minIntervalMs: 0,
    timeoutMs: 5000,
    maxBytes: 1024 * 1024,
    retries: 3,
    backoffMs: 1000,
    maxWaitMs: 300_000,
    timing,
    ...o,
  });
  return { c, timing };
}

describe('HttpClient', () => {
  it('spaces requests by the minimum interval, one at a time, even when asked all at once (arXiv: 3 s)', async () => {
    const s = await serve((_req, res) => json(res, []));
    const { c, timing } = client({ minIntervalMs: 3000 });
    const t0 = timing.now();
    await Promise.all([c.get(`${s.url}/a`), c.get(`${s.url}/b`), c.get(`${s.url}/c`)]);
    expect(c.starts.map((t) => t - t0)).toEqual([0, 3000, 6000]);
    expect(s.seen.map((r) => r.path)).toEqual(['/a', '/b', '/c']);
    expect(s.seen[0]!.headers['user-agent']).toMatch(/^paperboy\/\S+ \(ops@lab\.example\)$/);
  });

  it('obeys Retry-After on a 429, then succeeds', async () => {
    let n = 0;
    const s = await serve((_req, res) => {
      if (n++ === 0) {
        res.writeHead(429, { 'retry-after': '120', 'content-type': 'text/plain' });
        res.end('slow down');
      } else json(res, [1]);
    });
    const { c, timing } = client();
    const t0 = timing.now();
    const r = await c.get(s.url);
    expect(r.status).toBe('ok');
    expect(c.starts.map((t) => t - t0)).toEqual([0, 120_000]);
  });

  it('waits for the RateLimit window to reset when the server says none are left', async () => {
    const s = await serve((_req, res) => json(res, [], { ratelimit: '"api";r=0;t=45' }));
    const { c, timing } = client();
    const t0 = timing.now();
    await c.get(s.url);
    await c.get(s.url);
    expect(c.starts.map((t) => t - t0)).toEqual([0, 45_000]);
  });

  it('gives up at once when Retry-After asks for more than it waits, in one line', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(429, { 'retry-after': '3600' });
      res.end();
    });
    const { c } = client();
    await expect(c.get(s.url)).rejects.toThrow(/HTTP 429 Too Many Requests, asked to wait 3600 s \(more than the 300 s we wait\)/);
    expect(s.seen).toHaveLength(1);
  });

  it('retries 5xx with doubling backoff a bounded number of times', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(503);
      res.end('down');
    });
    const { c, timing } = client({ retries: 3, backoffMs: 1000 });
    const t0 = timing.now();
    await expect(c.get(s.url)).rejects.toThrow(/HTTP 503 Service Unavailable \(gave up after 4 attempts\)/);
    expect(c.starts.map((t) => t - t0)).toEqual([0, 1000, 3000, 7000]);
  });

  it("a 4xx other than 429 is not retried, and the server's own reason is quoted", async () => {
    const s = await serve((req, res) => {
      if (req.path === '/401') {
        res.writeHead(401, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: 'Invalid credentials in Authorization header' }));
      } else {
        res.writeHead(404);
        res.end();
      }
    });
    const { c } = client();
    await expect(c.get(`${s.url}/api/daily_papers`)).rejects.toThrow(/HTTP 404 Not Found for \/api\/daily_papers$/);
    await expect(c.get(`${s.url}/401`)).rejects.toThrow(/HTTP 401 Unauthorized for \/401: Invalid credentials in Authorization header$/);
    expect(s.seen).toHaveLength(2);
  });

  it('stops waiting for its turn when the run is stopped (SIGTERM), in one line', async () => {
    const s = await serve((_req, res) => json(res, []));
    const stop = new AbortController();
    const c = new HttpClient({ userAgent: 'paperboy/test', minIntervalMs: 3000, timeoutMs: 5000, maxBytes: 1024, retries: 0, backoffMs: 0, maxWaitMs: 1000, signal: stop.signal });
    await c.get(s.url);
    const second = c.get(s.url);
    stop.abort();
    await expect(second).rejects.toThrow(/^127\.0\.0\.1:\d+: stopped$|^stopped before the next request$/);
    expect(s.seen).toHaveLength(1);
  });

  it('times out a server that never answers', async () => {
    const s = await serve(() => {
      /* never answers */
    });
    const { c } = client({ timeoutMs: 150, retries: 1 });
    await expect(c.get(s.url)).rejects.toThrow(/no answer within 0\.15 s \(gave up after 2 attempts\)/);
  });

  it('refuses a body past the cap while it streams (no content-length), without reading it all', async () => {
    let sent = 0;
    const s = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const pump = () => {
        // 100 MB if nobody stops us; the client must hang up long before.
        while (sent < 100 * 1024 * 1024) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      res.on('close', () => (sent = Number.POSITIVE_INFINITY));
      pump();
    });
    const { c } = client({ maxBytes: 1024 * 1024 });
    await expect(c.get(s.url)).rejects.toThrow(/passed the 1048576-byte limit while downloading; refused/);
  });

  it('refuses a declared content-length past the cap before reading', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(200, { 'content-length': String(100 * 1024 * 1024) });
      res.write('[');
    });
    const { c } = client({ maxBytes: 1024 });
    await expect(c.get(s.url)).rejects.toThrow(/answer of 104857600 bytes is over the 1024-byte limit/);
  });

  it('retries a body cut off mid-way, then reports it', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(200, { 'content-length': '1000', 'content-type': 'application/json' });
      res.write('[{"paper":');
      setImmediate(() => res.destroy());
    });
    const { c } = client({ retries: 1 });
    await expect(c.get(s.url)).rejects.toThrow(/answer cut off: .*\(gave up after 2 attempts\)/);
    expect(s.seen).toHaveLength(2);
  });

  it('sends If-None-Match / If-Modified-Since and reports 304', async () => {
    const s = await serve((req, res) => {
      if (req.headers['if-none-match'] === '"v1"') {
        res.writeHead(304);
        res.end();
      } else json(res, [], { etag: '"v1"', 'last-modified': 'Fri, 25 Oct 2024 08:00:00 GMT' });
    });
    const { c } = client();
    const first = await c.get(s.url);
    expect(first.status === 'ok' && first.validators).toEqual({ etag: '"v1"', lastModified: 'Fri, 25 Oct 2024 08:00:00 GMT' });
    const second = await c.get(s.url, { validators: first.status === 'ok' ? first.validators : null });
    expect(second.status).toBe('not-modified');
    expect(s.seen[1]!.headers['if-modified-since']).toBe('Fri, 25 Oct 2024 08:00:00 GMT');
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2024-10-25T08:00:00Z');
    expect(retryAfterMs('30', now)).toBe(30_000);
    expect(retryAfterMs('Fri, 25 Oct 2024 08:01:00 GMT', now)).toBe(60_000);
    expect(retryAfterMs('soon', now)).toBeNull();
    expect(new SourceError('x').name).toBe('SourceError');
  });
});
