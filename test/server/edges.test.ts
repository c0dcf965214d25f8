// Answers at the edges: the not-found page asked for by name, and requests Node refuses before fastify sees them.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildServer, SECURITY_HEADERS } from '../../src/server/http.ts';

const site = mkdtempSync(join(tmpdir(), 'paperboy-edges-'));
writeFileSync(join(site, 'index.html'), '<!doctype html><title>home</title>');
writeFileSync(join(site, '404.html'), '<!doctype html><title>nope</title><h1>Not found</h1>');
const server = await buildServer({ siteDir: site, baseUrl: 'https://papers.example.org' });
server.server.on('error', () => {});
const url = new URL(await server.listen({ port: 0, host: '127.0.0.1' }));
afterAll(() => server.close());

/** One raw HTTP/1.1 exchange over a socket: what a client sends, byte for byte, and the whole answer. */
function raw(request: string): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), '127.0.0.1');
    let data = '';
    socket.on('error', reject);
    socket.on('data', (c) => (data += c));
    socket.on('close', () => {
      const [head = '', body = ''] = data.split('\r\n\r\n');
      const [statusLine, ...lines] = head.split('\r\n');
      const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
      resolve({ status: Number(statusLine!.split(' ')[1]), headers, body });
    });
    socket.write(request);
  });
}

describe('edges', () => {
  it('/404.html answers 404 with the not-found page, like any other miss', async () => {
    for (const path of ['/404.html', '/404']) {
      const r = await server.inject({ url: path });
      expect(r.statusCode, path).toBe(404);
      expect(r.body).toContain('<title>nope</title>');
      expect(r.headers['x-content-type-options']).toBe('nosniff');
    }
  });

  it('a URL too long for Node (431) and a malformed request (400) carry the security headers', async () => {
    const long = await raw(`GET /${'a'.repeat(40_000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
    expect(long.status).toBe(431);
    const broken = await raw('NOT A REQUEST\r\n\r\n');
    expect(broken.status).toBe(400);
    for (const r of [long, broken]) {
      for (const [k, v] of Object.entries(SECURITY_HEADERS)) expect(r.headers[k], k).toBe(v);
      expect(r.headers['strict-transport-security']).toBe('max-age=31536000');
      expect(r.headers['content-type']).toBe('text/plain; charset=utf-8');
    }
  });
});
