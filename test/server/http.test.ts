// The fastify app through inject(): conditional GET, content types, security headers, 404s, traversal, healthz.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PaperboyError } from '../../src/errors.ts';
import { buildServer } from '../../src/server/http.ts';

const site = mkdtempSync(join(tmpdir(), 'paperboy-http-'));
mkdirSync(join(site, 'feeds'));
mkdirSync(join(site, 'archive'));
writeFileSync(join(site, 'index.html'), '<!doctype html><title>home</title>');
writeFileSync(join(site, '404.html'), '<!doctype html><title>nope</title><h1>Not found</h1>');
writeFileSync(join(site, 'archive/2026-11-24.html'), '<!doctype html><title>edition</title>');
writeFileSync(join(site, 'feeds/all.xml'), '<rss version="2.0"><channel><title>a</title></channel></rss>');
writeFileSync(join(site, 'feeds/all.json'), '{"version":"https://jsonfeed.org/version/1.1","items":[]}');
writeFileSync(join(site, 'feeds/opml.xml'), '<opml version="2.0"></opml>');

const server = await buildServer({
  siteDir: site,
  baseUrl: 'http://localhost',
  extraRoutes: (app) => {
    app.get('/boom', async () => {
      throw new Error('secret internals at /srv/x.ts:12');
    });
    app.get('/missing', async () => {
      throw new PaperboyError('NOT_FOUND', 'x');
    });
  },
});
afterAll(() => server.close());

describe('static site', () => {
  it('serves feeds with the right types, validators and cache headers', async () => {
    const types = {
      '/feeds/all.xml': 'application/rss+xml; charset=utf-8',
      '/feeds/all.json': 'application/feed+json; charset=utf-8',
      '/feeds/opml.xml': 'text/x-opml; charset=utf-8',
      '/': 'text/html; charset=utf-8',
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
  });

  it('answers conditional requests with 304 and the same ETag; a changed feed gets a new one', async () => {
    const first = await server.inject({ url: '/feeds/all.xml' });
    const etag = first.headers.etag as string;
    const again = await server.inject({ url: '/feeds/all.xml', headers: { 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
    expect(again.headers.etag).toBe(etag);
    expect(again.body).toBe('');
    const since = await server.inject({ url: '/feeds/all.xml', headers: { 'if-modified-since': first.headers['last-modified'] as string } });
    expect(since.statusCode).toBe(304);
    writeFileSync(join(site, 'feeds/all.xml'), '<rss version="2.0"><channel><title>b</title></channel></rss>');
    const changed = await server.inject({ url: '/feeds/all.xml', headers: { 'if-none-match': etag } });
    expect(changed.statusCode).toBe(200);
    expect(changed.headers.etag).not.toBe(etag);
    const head = await server.inject({ method: 'HEAD', url: '/feeds/all.xml' });
    expect(head.statusCode).toBe(200);
    expect(head.headers.etag).toBe(changed.headers.etag);
  });

  it('sets security headers on every response, 404s included', async () => {
    for (const url of ['/', '/feeds/all.xml', '/nope', '/healthz']) {
      const r = await server.inject({ url });
      expect(r.headers['content-security-policy'], url).toContain("default-src 'none'");
      expect(r.headers['x-content-type-options']).toBe('nosniff');
      expect(r.headers['x-frame-options']).toBe('DENY');
      expect(r.headers['referrer-policy']).toBe('no-referrer');
    }
  });

  it('unknown paths, traversal and errors give a page or a plain message, never a stack', async () => {
    for (const url of ['/nope', '/feeds/nope.xml', '/../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/..%2f..%2fetc%2fpasswd', '/missing']) {
      const r = await server.inject({ url });
      expect(r.statusCode, url).toBe(404);
      expect(r.body).toContain('Not found');
    }
    const malformed = await server.inject({ url: '/%E0%A4%A' });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.body).not.toMatch(/at .*:\d+/);
    const boom = await server.inject({ url: '/boom' });
    expect(boom.statusCode).toBe(500);
    expect(boom.body).toBe('Internal error');
  });

  it('has /healthz', async () => {
    const r = await server.inject({ url: '/healthz' });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ ok: true });
  });
});
