// The fastify app: serves the static site with ETag/Last-Modified/304 and gzip, /healthz, security headers, one error mapping.
import { createHash } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { readFileSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { extname, join, resolve, sep } from 'node:path';
import formbody from '@fastify/formbody';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { PaperboyError, storeError } from '../errors.ts';

export interface ServerOptions {
  siteDir: string;
  baseUrl: string;
  logger?: boolean;
  /** Routes other modules add (subscriptions); registered before the static catch-all. */
  extraRoutes?: (app: FastifyInstance) => void | Promise<void>;
  /** Extra facts for /healthz (e.g. the last run). */
  health?: () => Record<string, unknown>;
  /** PAPERBOY_TRUST_PROXY: the proxies whose X-Forwarded-For req.ip may believe (fastify's trustProxy). */
  trustProxy?: boolean | string[];
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A POST other sites may send (RFC 8058 one-click unsubscribe: the signed URL is the authorization). */
    allowCrossSite?: boolean;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Whether a state-changing request comes from another site: Sec-Fetch-Site when the browser sends it (it
 * cannot be forged by a page), else an Origin that is not the public one (our pages' same-origin referrer
 * policy lets browsers without Sec-Fetch-Site send the real Origin on our own forms). No header at all is a
 * non-browser client (curl, the CLI).
 */
export function isCrossSite(headers: Record<string, string | string[] | undefined>, publicOrigin: string): boolean {
  const site = headers['sec-fetch-site'];
  if (site === 'same-origin' || site === 'none') return false;
  if (site === 'cross-site') return true;
  const origin = headers.origin;
  return origin !== undefined && origin !== publicOrigin;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.xml': 'application/rss+xml; charset=utf-8',
  '.json': 'application/feed+json; charset=utf-8',
  '.opml': 'text/x-opml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};
const typeOf = (rel: string) => (rel.endsWith('opml.xml') ? TYPES['.opml']! : (TYPES[extname(rel)] ?? 'application/octet-stream'));

export const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
};

/** Maps an error to a status: the one place that does. Unknown errors never show their message or stack. */
export function statusOf(err: unknown): { status: number; message: string } {
  // The store busy past its wait (a run's long write): a moment's condition, worth a retry, not a server fault.
  if (storeError(err)?.code === 'LOCKED') return { status: 503, message: 'Busy, try again shortly' };
  if (err instanceof PaperboyError) {
    if (err.code === 'NOT_FOUND') return { status: 404, message: 'Not found' };
    if (err.code === 'BAD_INPUT') return { status: 400, message: err.message };
    return { status: 500, message: 'Internal error' };
  }
  const status = (err as { statusCode?: number }).statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) return { status, message: status === 413 ? 'Request too large' : 'Bad request' };
  return { status: 500, message: 'Internal error' };
}

export async function buildServer(opts: ServerOptions): Promise<FastifyInstance> {
  const root = resolve(opts.siteDir);
  const files = fileCache();
  // Browsers that reached the https site keep to https (only sent when the public URL is https).
  const headers: Record<string, string> = { ...SECURITY_HEADERS, ...(opts.baseUrl.startsWith('https:') ? { 'strict-transport-security': 'max-age=31536000' } : {}) };
  const notFound = (reply: FastifyReply) => {
    let page = '<!doctype html><title>Not found</title><h1>Not found</h1>';
    try {
      page = readFileSync(join(root, '404.html'), 'utf8');
    } catch {
      // no site yet: the plain page above
    }
    return reply.code(404).type('text/html; charset=utf-8').send(page);
  };
  // The one place errors become responses: route errors, and errors fastify meets before routing (a bad URL).
  const sendError = (err: unknown, req: FastifyRequest, reply: FastifyReply) => {
    // Framework errors skip the hooks, so the headers (HSTS included) are set here too.
    reply.headers(headers);
    const { status, message } = statusOf(err);
    if (status >= 500) req.log.error(err);
    if (status === 404) return notFound(reply);
    return reply.code(status).type('text/plain; charset=utf-8').send(message);
  };

  const app = Fastify({
    logger: opts.logger ?? false,
    bodyLimit: 64 * 1024,
    frameworkErrors: sendError,
    trustProxy: opts.trustProxy ?? false,
    clientErrorHandler: (err, socket) => clientError(err, socket, headers),
  });
  await app.register(formbody);
  app.addHook('onSend', async (_req, reply, payload) => {
    reply.headers(headers);
    return payload;
  });
  // Form posts from other sites change nothing (CSRF), before any body is read.
  const publicOrigin = new URL(opts.baseUrl).origin;
  app.addHook('onRequest', async (req, reply) => {
    if (SAFE_METHODS.has(req.method) || req.routeOptions.config.allowCrossSite) return;
    if (isCrossSite(req.headers, publicOrigin)) return reply.code(403).type('text/plain; charset=utf-8').header('cache-control', 'no-store').send('Cross-site requests are refused');
  });
  // What each route pattern answers, collected as routes register (the subscription scope's too), so a request with
  // a method the URL does not take gets 405 and an Allow header (RFC 9110 15.5.6), and OPTIONS gets the list.
  const routes: { pattern: RegExp; methods: string[] }[] = [];
  app.addHook('onRoute', (r) => {
    routes.push({ pattern: new RegExp(`^${r.url.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/:\w+/g, '[^/]+').replace(/\*/g, '.*')}$`), methods: [r.method].flat() });
  });
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0]!;
    const allowed = new Set(routes.filter((r) => r.pattern.test(path)).flatMap((r) => r.methods));
    if (allowed.size === 0 || allowed.has(req.method)) return notFound(reply);
    if (allowed.has('GET')) allowed.add('HEAD');
    allowed.add('OPTIONS');
    const allow = ['GET', 'HEAD', 'POST', 'OPTIONS'].filter((m) => allowed.has(m)).join(', ');
    reply.header('allow', allow).header('cache-control', 'no-store');
    if (req.method === 'OPTIONS') return reply.code(204).send();
    return reply.code(405).type('text/plain; charset=utf-8').send('Method not allowed');
  });
  app.setErrorHandler(sendError);

  // Monitors must see the live answer, never a cached one.
  app.get('/healthz', async (_req, reply) => {
    reply.header('cache-control', 'no-store');
    return { ok: true, site: siteFacts(root), ...(opts.health?.() ?? {}) };
  });
  if (opts.extraRoutes) await opts.extraRoutes(app);

  // The static site: GET and HEAD (fastify answers HEAD for GET routes with the same headers, no body).
  app.get('/*', async (req, reply) => {
    // Fastify has already percent-decoded the path once; decoding again would turn %2e into a dot.
    const asked = (req.params as { '*': string })['*'] ?? '';
    const found = locate(root, asked);
    // Browsers ask for /favicon.ico on every page and feed they open; with no icon in the site, "none" is
    // the honest answer, and it keeps the 404 (and the console error it causes) for real misses.
    if (found === null && asked === 'favicon.ico') return reply.code(204).header('cache-control', 'public, max-age=86400').send();
    // The not-found page is served as what it is: a 404 (monitors and crawlers must not take it for a page).
    if (found === null || (found.kind === 'file' && found.rel === '404.html')) return notFound(reply);
    if (found.kind === 'redirect') {
      // /archive → /archive/: the index's relative links only resolve from inside the folder. The target is
      // relative (`archive/`), so it also works behind a proxy that mounts the site under a path.
      return reply.code(301).header('location', found.to).send();
    }
    const { rel, path, mtimeMs, size } = found;
    const file = files.get(path, mtimeMs, size);
    const gzip = file.gzipped !== null && acceptsGzip(req.headers['accept-encoding']);
    // Each encoding is its own representation, with its own strong ETag (RFC 9110 8.8.3).
    const etag = gzip ? file.etag.replace(/"$/, '-gz"') : file.etag;
    const lastModified = new Date(Math.floor(mtimeMs / 1000) * 1000);
    reply
      .header('etag', etag)
      .header('last-modified', lastModified.toUTCString())
      .header('cache-control', rel.startsWith('feeds/') ? 'public, max-age=300' : 'public, max-age=60')
      .header('vary', 'accept-encoding')
      .type(typeOf(rel));
    if (notModified(req.headers['if-none-match'], req.headers['if-modified-since'], etag, lastModified)) return reply.code(304).send();
    if (gzip) reply.header('content-encoding', 'gzip');
    return reply.send(gzip ? file.gzipped : file.body);
  });
  return app;
}

/**
 * Errors Node's HTTP parser meets before fastify sees a request (a URL or headers over the size limit: 431; a
 * malformed request: 400; a slow one: 408) are answered here, with the security headers every response carries.
 */
function clientError(err: NodeJS.ErrnoException, socket: Duplex, headers: Record<string, string>): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, body] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'Request header fields too large']
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'Request timeout']
        : [400, 'Bad request'];
  if (socket.writable) {
    const lines = [
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}`,
      'content-type: text/plain; charset=utf-8',
      `content-length: ${Buffer.byteLength(body)}`,
      'cache-control: no-store',
      'connection: close',
      ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
    ];
    socket.write(`${lines.join('\r\n')}\r\n\r\n${body}`);
  }
  socket.destroy(err);
}

type Located = { kind: 'file'; rel: string; path: string; mtimeMs: number; size: number } | { kind: 'redirect'; to: string };

interface CachedFile {
  body: Buffer;
  /** Null when compressing would not pay (small files). */
  gzipped: Buffer | null;
  etag: string;
}

/**
 * Bytes, ETag and gzip of served files, by path and (mtime, size): a feed reader polling every few minutes
 * costs a stat, not a read, a hash and a compression. The site writer replaces files, so a new mtime or
 * size means new bytes. Bounded, oldest entry out first.
 */
function fileCache(max = 512) {
  const entries = new Map<string, CachedFile & { stamp: string }>();
  return {
    get(path: string, mtimeMs: number, size: number): CachedFile {
      const stamp = `${mtimeMs}:${size}`;
      const hit = entries.get(path);
      if (hit && hit.stamp === stamp) return hit;
      const body = readFileSync(path);
      // A strong validator from the bytes: equal content, equal ETag, across restarts and rewrites.
      const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
      const gzipped = body.length >= 1024 ? gzipSync(body) : null;
      const entry = { body, gzipped, etag, stamp };
      entries.delete(path);
      entries.set(path, entry);
      if (entries.size > max) entries.delete(entries.keys().next().value!);
      return entry;
    },
  };
}

/** Whether Accept-Encoding allows gzip (a `q=0` refuses it). */
function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  return header.split(',').some((part) => {
    const [coding, ...params] = part.trim().toLowerCase().split(';');
    if (coding !== 'gzip' && coding !== 'x-gzip' && coding !== '*') return false;
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    return q === undefined || Number(q) > 0;
  });
}

/**
 * Maps a decoded URL path to a file inside root, or null. `''` and `dir/` serve `index.html`, `x` serves
 * `x.html` (so /archive/2026-11-24 works), a folder without its slash redirects. Hidden names (`.x`, the
 * writer's `*.tmp` files), NUL bytes and anything resolving outside root are not found.
 */
function locate(root: string, asked: string): Located | null {
  if (asked.includes('\0') || asked.includes('\\')) return null;
  const segments = asked.split('/');
  if (segments.some((s) => s.startsWith('.') || s.endsWith('.tmp'))) return null;
  const file = (rel: string): Located | null => {
    const path = resolve(root, rel);
    if (!path.startsWith(root + sep)) return null;
    try {
      const stat = statSync(path);
      return stat.isFile() ? { kind: 'file', rel, path, mtimeMs: stat.mtimeMs, size: stat.size } : null;
    } catch {
      return null;
    }
  };
  if (asked === '' || asked.endsWith('/')) return file(`${asked}index.html`);
  if (extname(asked) !== '') return file(asked);
  return file(`${asked}.html`) ?? (file(`${asked}/index.html`) ? { kind: 'redirect', to: `${segments.at(-1)}/` } : null);
}

/** RFC 9110: If-None-Match wins when present (weak comparison); else If-Modified-Since at second precision. */
function notModified(inm: string | undefined, ims: string | undefined, etag: string, lastModified: Date): boolean {
  if (inm !== undefined) return inm.split(',').some((t) => t.trim() === '*' || t.trim().replace(/^W\//, '') === etag);
  if (ims === undefined) return false;
  const since = Date.parse(ims);
  return !Number.isNaN(since) && lastModified.getTime() <= since;
}

/** Cheap facts for /healthz: when the feeds were last written (a stale date means runs are failing). */
function siteFacts(root: string): { feedsUpdated: string | null } {
  try {
    return { feedsUpdated: statSync(join(root, 'feeds', 'all.xml')).mtime.toISOString() };
  } catch {
    return { feedsUpdated: null };
  }
}
