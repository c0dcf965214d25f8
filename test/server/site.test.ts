// A rendered site written to disk and served: every file with its type and exact bytes; regenerating keeps validators.
import { describe, expect, it } from 'vitest';
import { buildServer } from '../../src/server/http.ts';
import { edition, ep, paper } from '../render/factory.ts';
import { renderAll, siteInput, writeSiteDir } from './factory.ts';

const TYPES: [RegExp, string][] = [
  [/^feeds\/opml\.xml$/, 'text/x-opml; charset=utf-8'],
  [/\.xml$/, 'application/rss+xml; charset=utf-8'],
  [/\.json$/, 'application/feed+json; charset=utf-8'],
  [/\.html$/, 'text/html; charset=utf-8'],
];

describe('the served site', () => {
  it('serves every rendered file byte for byte with its content type', async () => {
    const input = siteInput();
    const { dir } = writeSiteDir(input);
    const server = await buildServer({ siteDir: dir, baseUrl: input.baseUrl });
    try {
      for (const [rel, content] of renderAll(input)) {
        const r = await server.inject({ url: `/${rel}` });
        // The not-found page is served with its status, whatever the path.
        expect(r.statusCode, rel).toBe(rel === '404.html' ? 404 : 200);
        expect(r.headers['content-type'], rel).toBe(TYPES.find(([re]) => re.test(rel))![1]);
        expect(r.body, rel).toBe(content.toWellFormed());
      }
      // The landing page and the pretty edition URL.
      expect((await server.inject({ url: '/' })).body).toBe(renderAll(input).get('index.html'));
      expect((await server.inject({ url: '/archive/2026-11-24' })).body).toBe(renderAll(input).get('archive/2026-11-24.html'));
      // The site's own 404 page for unknown paths.
      const missing = await server.inject({ url: '/archive/1999-01-01' });
      expect(missing.statusCode).toBe(404);
      expect(missing.body).toContain('<h1>Not found</h1>');
    } finally {
      await server.close();
    }
  });

  it('regenerating with nothing new keeps ETag and Last-Modified (304); a new edition changes the feed\'s ETag', async () => {
    const input = siteInput();
    const { dir } = writeSiteDir(input);
    const server = await buildServer({ siteDir: dir, baseUrl: input.baseUrl });
    try {
      const first = await server.inject({ url: '/feeds/all.xml' });
      const topic = await server.inject({ url: '/feeds/vision.xml' });
      // Wait past a second so a rewrite would show in Last-Modified.
      await new Promise((r) => setTimeout(r, 1100));
      const again = writeSiteDir(structuredClone(input), dir).result;
      expect(again.written).toEqual([]);
      const same = await server.inject({ url: '/feeds/all.xml', headers: { 'if-none-match': first.headers.etag as string } });
      expect(same.statusCode).toBe(304);
      expect(same.headers.etag).toBe(first.headers.etag);
      expect(same.headers['last-modified']).toBe(first.headers['last-modified']);

      const newer = { ...input, editions: [edition('2026-11-27', [ep(paper({ title: 'A new language model paper', arxivId: '2411.55555', firstSeen: '2026-11-27T06:00:00Z' }), ['llm', ['LLM']])]), ...input.editions] };
      const third = writeSiteDir(newer, dir).result;
      expect(third.written).toContain('feeds/all.xml');
      expect(third.written).toContain('feeds/llm.xml');
      expect(third.written).not.toContain('feeds/vision.xml'); // nothing new in it: same bytes, left alone
      const changed = await server.inject({ url: '/feeds/all.xml', headers: { 'if-none-match': first.headers.etag as string } });
      expect(changed.statusCode).toBe(200);
      expect(changed.headers.etag).not.toBe(first.headers.etag);
      expect(changed.body).toContain('A new language model paper');
      const untouched = await server.inject({ url: '/feeds/vision.xml', headers: { 'if-none-match': topic.headers.etag as string } });
      expect(untouched.statusCode).toBe(304);
    } finally {
      await server.close();
    }
  });
});
