// Methods a URL does not take: 405 with Allow, OPTIONS answered with the list (RFC 9110), never "not found" for a page that exists.
import { afterEach, describe, expect, it } from 'vitest';
import { closeAll, world } from '../subscribe/world.ts';

afterEach(closeAll);

describe('methods', () => {
  it('OPTIONS lists what a URL takes; PUT, DELETE and TRACE get 405 with Allow; unknown pages stay 404', async () => {
    const w = await world();
    const options = await w.server.inject({ method: 'OPTIONS', url: '/subscribe' });
    expect(options.statusCode).toBe(204);
    expect(options.headers.allow).toBe('GET, HEAD, POST, OPTIONS');
    const page = await w.server.inject({ method: 'OPTIONS', url: '/feeds/all.xml' });
    expect([page.statusCode, page.headers.allow]).toEqual([204, 'GET, HEAD, OPTIONS']);
    for (const [method, url, allow] of [
      ['PUT', '/subscribe', 'GET, HEAD, POST, OPTIONS'],
      ['DELETE', '/unsubscribe/1.abc', 'GET, HEAD, POST, OPTIONS'],
      ['TRACE', '/', 'GET, HEAD, OPTIONS'],
      ['PATCH', '/archive/2026-11-24.html', 'GET, HEAD, OPTIONS'],
    ] as const) {
      const r = await w.server.inject({ method, url, payload: method === 'TRACE' ? undefined : 'x=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      expect([method, url, r.statusCode, r.headers.allow, r.body]).toEqual([method, url, 405, allow, 'Method not allowed']);
      expect(r.headers['x-content-type-options']).toBe('nosniff');
    }
    // POST to a static page is no route either: 405, not the subscribe form's 404.
    const post = await w.server.inject({ method: 'POST', url: '/index.html', payload: 'x=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect([post.statusCode, post.headers.allow]).toEqual([405, 'GET, HEAD, OPTIONS']);
    expect((await w.server.inject({ url: '/no-such-page' })).statusCode).toBe(404);
  });
});
