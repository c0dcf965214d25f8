// The fastify app through inject(): conditional GET, content types, security headers, 404s, traversal, errors, healthz.
import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PaperboyError } from '../../src/errors.ts';
import { buildServer } from '../../src/server/http.ts';

const site = mkdtempSync(join(tmpdir(), 'paperboy-http-'));
mkdirSync(join(site, 'feeds'));
mkdirSync(join(site, 'archive'));
writeFileSync(join(site, 'index.html'), '<!doctype html><title>home</title>');
writeFileSync(join(site, '404.html'), '<!doctype html><title>nope</title><h1>Not found</h1>');
writeFileSync(join(site, 'archive/index.html'), '<!doctype html><title>archive</title>');
writeFileSync(join(site, 'archive/2026-11-24.html'), '<!doctype html><title>edition</title>');
writeFileSync(join(site, 'feeds/all.xml'), '<rss version="2.0"><channel><title>a</title></channel></rss>');
writeFileSync(join(site, 'feeds/all.json'), '{"version":"https://jsonfeed.org/version/1.1","items":[]}');
writeFileSync(join(site, 'feeds/opml.xml'), '<opml version="2.0"></opml>');
writeFileSync(join(site, 'feeds/all.xml.123.tmp'), 'half a feed');
writeFileSync(join(site, '.env'), 'SECRET=1');
writeFileSync(join(tmpdir(), 'paperboy-outside.html'), 'outside');

const posted: unknown[] = [];
const server = await buildServer({
  siteDir: site,
  baseUrl: 'http://localhost',
  health: () => ({ editions: 3 }),
  extraRoutes: (app) => {
    app.get('/boom', async () => {
      throw new Error('secret internals at /srv/x.ts:12');
    });
    app.get('/missing', async () => {
      throw new PaperboyError('NOT_FOUND', 'x');
    });
    app.get('/bad', async () => {
      throw new PaperboyError('BAD_INPUT', 'email: not an address');
    });
    app.get('/locked', async () => {
      throw new PaperboyError('LOCKED', 'lease held by pid 4242 in /var/lib/x');
    });
    app.post('/form', async (req) => {
      posted.push(req.body);
      return { ok: true };
    });
  },
});
afterAll(() => server.close());

describe('static site', () => {
  it('serves each kind of file with its content type, validators and cache headers', async () => {
    const types = {
      '/feeds/all.xml': 'application/rss+xml; charset=utf-8',
      '/feeds/all.json': 'application/feed+json; charset=utf-8',
      '/feeds/opml.xml': 'text/x-opml; charset=utf-8',
      '/': 'text/html; charset=utf-8',
      '/index.html': 'text/html; charset=utf-8',
      '/archive/': 'text/html; charset=utf-8',
      '/archive/2026-11-24': 'text/html; charset=utf-8',
      '/archive/2026-11-24.html': 'text/html; charset=utf-8',
    };
    for (const [url, type] of Object.entries(types)) {
      const r = await server.inject({ url });
      expect(r.statusCode, url).toBe(200);
      expect(r.headers['content-type'], url).toBe(type);
    }
    const r = await server.inject({ url: '/feeds/all.xml' });
    expect(r.headers.etag).toMatch(/^"[\w-]+"$/);
    expect(r.headers['last-modified']).toBeDefined();
    expect(r.headers['cache-control']).toBe('public, max-age=300');
    expect((await server.inject({ url: '/archive/2026-11-24' })).body).toContain('edition');
  });

  it('a folder without its slash redirects (relative), so the index page\'s relative links resolve', async () => {
    const r = await server.inject({ url: '/archive' });
    expect(r.statusCode).toBe(301);
    expect(r.headers.location).toBe('archive/');
    expect(new URL(r.headers.location as string, 'http://h/archive').pathname).toBe('/archive/');
  });

  it('answers conditional requests with 304 and the same ETag; a changed feed gets a new one', async () => {
    const first = await server.inject({ url: '/feeds/all.xml' });
    const etag = first.headers.etag as string;
    const again = await server.inject({ url: '/feeds/all.xml', headers: { 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
    expect(again.headers.etag).toBe(etag);
    expect(again.body).toBe('');
    expect((await server.inject({ url: '/feeds/all.xml', headers: { 'if-none-match': `"other", W/${etag}` } })).statusCode).toBe(304);
    const since = await server.inject({ url: '/feeds/all.xml', headers: { 'if-modified-since': first.headers['last-modified'] as string } });
    expect(since.statusCode).toBe(304);
    expect(since.headers.etag).toBe(etag);
    const older = await server.inject({ url: '/feeds/all.xml', headers: { 'if-modified-since': 'Mon, 01 Jan 2001 00:00:00 GMT' } });
    expect(older.statusCode).toBe(200);
    // If-None-Match wins over If-Modified-Since (RFC 9110): a stale tag means 200 even if the date matches.
    const mixed = await server.inject({ url: '/feeds/all.xml', headers: { 'if-none-match': '"stale"', 'if-modified-since': first.headers['last-modified'] as string } });
    expect(mixed.statusCode).toBe(200);

    writeFileSync(join(site, 'feeds/all.xml'), '<rss version="2.0"><channel><title>b</title></channel></rss>');
    const changed = await server.inject({ url: '/feeds/all.xml', headers: { 'if-none-match': etag } });
    expect(changed.statusCode).toBe(200);
    expect(changed.headers.etag).not.toBe(etag);
    expect(changed.body).toContain('<title>b</title>');
  });

  it('the ETag follows the bytes, not the file time: rewriting equal bytes keeps it', async () => {
    const before = (await server.inject({ url: '/feeds/all.json' })).headers.etag;
    writeFileSync(join(site, 'feeds/all.json'), '{"version":"https://jsonfeed.org/version/1.1","items":[]}');
    utimesSync(join(site, 'feeds/all.json'), new Date('2030-01-01T00:00:00Z'), new Date('2030-01-01T00:00:00Z'));
    const after = await server.inject({ url: '/feeds/all.json' });
    expect(after.headers.etag).toBe(before);
    expect(after.headers['last-modified']).toBe('Tue, 01 Jan 2030 00:00:00 GMT');
  });

  it('HEAD gives the headers of GET and no body', async () => {
    const get = await server.inject({ url: '/archive/2026-11-24' });
    const head = await server.inject({ method: 'HEAD', url: '/archive/2026-11-24' });
    expect(head.statusCode).toBe(200);
    expect(head.body).toBe('');
    expect(head.headers.etag).toBe(get.headers.etag);
    expect(head.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(head.headers['content-security-policy']).toBeDefined();
    expect((await server.inject({ method: 'HEAD', url: '/nope' })).statusCode).toBe(404);
  });

  it('sets the security headers on every response: pages, feeds, 304s, 404s, errors, healthz', async () => {
    const etag = (await server.inject({ url: '/' })).headers.etag as string;
    const requests = [{ url: '/' }, { url: '/feeds/all.xml' }, { url: '/nope' }, { url: '/healthz' }, { url: '/boom' }, { url: '/bad' }, { url: '/%E0%A4%A' }, { url: '/', headers: { 'if-none-match': etag } }];
    for (const req of requests) {
      const r = await server.inject(req);
      expect(r.headers['content-security-policy'], req.url).toBe("default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'");
      expect(r.headers['x-content-type-options']).toBe('nosniff');
      expect(r.headers['x-frame-options']).toBe('DENY');
      expect(r.headers['referrer-policy']).toBe('same-origin');
    }
  });
});

describe('what is not served', () => {
  it('unknown paths, traversal, hidden and temp files get the 404 page', async () => {
    const urls = [
      '/nope',
      '/feeds/nope.xml',
      '/../../etc/passwd',
      '/%2e%2e/%2e%2e/etc/passwd',
      '/..%2f..%2fetc%2fpasswd',
      '/archive/..%2f..%2fpaperboy-outside.html',
      '/%252e%252e/%252e%252e/etc/passwd',
      '/.env',
      '/feeds/all.xml.123.tmp',
      '/archive/2026-11-24/',
      '/index.html%00.xml',
      '/missing',
    ];
    for (const url of urls) {
      const r = await server.inject({ url });
      expect(r.statusCode, url).toBe(404);
      expect(r.headers['content-type'], url).toBe('text/html; charset=utf-8');
      expect(r.body, url).toContain('<title>nope</title>');
    }
  });

  it('errors map to a status in one place and never show a stack or internals', async () => {
    const malformed = await server.inject({ url: '/%E0%A4%A' });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.body).toBe('Bad request');
    const boom = await server.inject({ url: '/boom' });
    expect(boom.statusCode).toBe(500);
    expect(boom.body).toBe('Internal error');
    const bad = await server.inject({ url: '/bad' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toBe('email: not an address');
    const locked = await server.inject({ url: '/locked' });
    expect(locked.statusCode).toBe(500);
    expect(locked.body).toBe('Internal error');
  });

  it('errors fastify meets before routing carry the same security headers as every response, HSTS included', async () => {
    const secure = await buildServer({ siteDir: site, baseUrl: 'https://papers.example.org' });
    try {
      const page = await secure.inject({ url: '/' });
      const malformed = await secure.inject({ url: '/%E0%A4%A' });
      expect(malformed.statusCode).toBe(400);
      for (const name of ['content-security-policy', 'x-content-type-options', 'referrer-policy', 'x-frame-options', 'cross-origin-opener-policy', 'strict-transport-security']) {
        expect(malformed.headers[name], name).toBe(page.headers[name]);
        expect(malformed.headers[name], name).toBeDefined();
      }
      expect(malformed.headers['referrer-policy']).toBe('same-origin');
    } finally {
      await secure.close();
    }
  });

  it('/favicon.ico without an icon in the site is "no content", not a 404', async () => {
    const r = await server.inject({ url: '/favicon.ico' });
    expect(r.statusCode).toBe(204);
    expect(r.body).toBe('');
    expect((await server.inject({ url: '/nope.ico' })).statusCode).toBe(404);
  });

  it('only GET and HEAD reach the files', async () => {
    const r = await server.inject({ method: 'POST', url: '/feeds/all.xml', payload: 'x' });
    // 405 with the methods the file takes (RFC 9110), never its bytes.
    expect([r.statusCode, r.headers.allow, r.body]).toEqual([405, 'GET, HEAD, OPTIONS', 'Method not allowed']);
  });
});

describe('compression', () => {
  const big = `<rss version="2.0"><channel><title>big</title>${'<item><title>A paper about attention</title></item>'.repeat(400)}</channel></rss>`;
  writeFileSync(join(site, 'feeds/big.xml'), big);

  it('gzips what is worth it for clients that accept it, with its own ETag, and the same bytes once inflated', async () => {
    const plain = await server.inject({ url: '/feeds/big.xml' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.vary).toBe('accept-encoding');
    const gz = await server.inject({ url: '/feeds/big.xml', headers: { 'accept-encoding': 'br, gzip;q=0.8' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).toString('utf8')).toBe(big);
    expect(gz.rawPayload.length).toBeLessThan(big.length / 10);
    expect(gz.headers.etag).not.toBe(plain.headers.etag);
    // Each representation validates against its own ETag.
    const again = await server.inject({ url: '/feeds/big.xml', headers: { 'accept-encoding': 'gzip', 'if-none-match': String(gz.headers.etag) } });
    expect(again.statusCode).toBe(304);
    const refused = await server.inject({ url: '/feeds/big.xml', headers: { 'accept-encoding': 'gzip;q=0, identity' } });
    expect(refused.headers['content-encoding']).toBeUndefined();
    // Tiny files are not worth a gzip header.
    expect((await server.inject({ url: '/feeds/all.xml', headers: { 'accept-encoding': 'gzip' } })).headers['content-encoding']).toBeUndefined();
  });

  it('serves the new bytes as soon as a file is replaced', async () => {
    const before = await server.inject({ url: '/feeds/big.xml', headers: { 'accept-encoding': 'gzip' } });
    writeFileSync(join(site, 'feeds/big.xml'), big.replace('<title>big</title>', '<title>bigger</title>'));
    const after = await server.inject({ url: '/feeds/big.xml', headers: { 'accept-encoding': 'gzip' } });
    expect(after.headers.etag).not.toBe(before.headers.etag);
    expect(gunzipSync(after.rawPayload).toString('utf8')).toContain('<title>bigger</title>');
  });
});

describe('other routes', () => {
  it('/healthz says ok, when the feeds were written, and what the caller adds', async () => {
    const r = await server.inject({ url: '/healthz' });
    expect(r.statusCode).toBe(200);
    expect(r.headers['cache-control']).toBe('no-store');
    // Plain http here: no HSTS header (it is only sent for an https public URL).
    expect(r.headers['strict-transport-security']).toBeUndefined();
    const secure = await buildServer({ siteDir: site, baseUrl: 'https://papers.example.org' });
    expect((await secure.inject({ url: '/' })).headers['strict-transport-security']).toBe('max-age=31536000');
    await secure.close();
    expect(r.headers['content-type']).toContain('application/json');
    const body = r.json();
    expect(body).toMatchObject({ ok: true, editions: 3 });
    expect(Date.parse(body.site.feedsUpdated)).not.toBeNaN();
  });

  it('form bodies are parsed (for the subscription routes), and oversized ones refused', async () => {
    const r = await server.inject({ method: 'POST', url: '/form', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'email=a%40b.org&topics=llm&topics=vision&cadence=weekly' });
    expect(r.statusCode).toBe(200);
    expect(posted.at(-1)).toEqual({ email: 'a@b.org', topics: ['llm', 'vision'], cadence: 'weekly' });
    const big = await server.inject({ method: 'POST', url: '/form', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `email=${'a'.repeat(100_000)}` });
    expect(big.statusCode).toBe(413);
    expect(big.body).toBe('Request too large');
  });

  it('without a site yet, unknown paths still get a small 404 page', async () => {
    const bare = await buildServer({ siteDir: mkdtempSync(join(tmpdir(), 'paperboy-empty-')), baseUrl: 'http://localhost' });
    const r = await bare.inject({ url: '/' });
    expect(r.statusCode).toBe(404);
    expect(r.body).toContain('Not found');
    expect((await bare.inject({ url: '/healthz' })).json()).toEqual({ ok: true, site: { feedsUpdated: null } });
    await bare.close();
  });
});
