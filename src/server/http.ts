// The fastify app: serves the static site with ETag/Last-Modified/304, /healthz, security headers, one error mapping.
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';
import formbody from '@fastify/formbody';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { PaperboyError } from '../errors.ts';

export interface ServerOptions {
  siteDir: string;
  baseUrl: string;
  logger?: boolean;
  /** Routes other modules add (subscriptions); registered before the static catch-all. */
  extraRoutes?: (app: FastifyInstance) => void | Promise<void>;
  /** Extra facts for /healthz (e.g. the last run). */
  health?: () => Record<string, unknown>;
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
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
};

/** Maps an error to a status: the one place that does. Unknown errors never show their message or stack. */
export function statusOf(err: unknown): { status: number; message: string } {
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
  const app = Fastify({ logger: opts.logger ?? false, bodyLimit: 64 * 1024 });
  await app.register(formbody);
  app.addHook('onSend', async (_req, reply, payload) => {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) reply.header(k, v);
    return payload;
  });

  const notFound = (reply: FastifyReply) => {
    let page = '<!doctype html><title>Not found</title><h1>Not found</h1>';
    try {
      page = readFileSync(join(root, '404.html'), 'utf8');
    } catch {
      // no site yet: the plain page above
    }
    return reply.code(404).type('text/html; charset=utf-8').send(page);
  };
  app.setNotFoundHandler((_req, reply) => notFound(reply));
  app.setErrorHandler((err, req, reply) => {
    const { status, message } = statusOf(err);
    if (status >= 500) req.log.error(err);
    if (status === 404) return notFound(reply);
    return reply.code(status).type('text/plain; charset=utf-8').send(message);
  });

  app.get('/healthz', async () => ({ ok: true, ...(opts.health?.() ?? {}) }));
  if (opts.extraRoutes) await opts.extraRoutes(app);

  // The static site: GET and HEAD (fastify answers HEAD for GET routes).
  app.get('/*', async (req, reply) => {
    const url = (req.params as { '*': string })['*'] ?? '';
    let rel: string;
    try {
      rel = decodeURIComponent(url);
    } catch {
      return notFound(reply);
    }
    if (rel === '' || rel.endsWith('/')) rel += 'index.html';
    else if (!extname(rel)) rel += '.html'; // /archive/2026-11-24 → the page
    const path = resolve(root, rel);
    if (!path.startsWith(root + sep) || rel.includes('\0')) return notFound(reply);
    let stat;
    try {
      stat = statSync(path);
    } catch {
      return notFound(reply);
    }
    if (!stat.isFile()) return notFound(reply);
    const body = readFileSync(path);
    // A strong validator from the bytes: equal content, equal ETag, across restarts and rewrites.
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
    const lastModified = new Date(Math.floor(stat.mtimeMs / 1000) * 1000);
    reply.header('etag', etag).header('last-modified', lastModified.toUTCString()).header('cache-control', rel.startsWith('feeds/') ? 'public, max-age=300' : 'public, max-age=60');
    reply.type(typeOf(rel));
    const inm = req.headers['if-none-match'];
    const ims = req.headers['if-modified-since'];
    const notModified = inm !== undefined ? inm.split(',').some((t) => t.trim().replace(/^W\//, '') === etag || t.trim() === '*') : ims !== undefined && !Number.isNaN(Date.parse(ims)) && lastModified.getTime() <= Date.parse(ims);
    if (notModified) return reply.code(304).send();
    return reply.send(body);
  });
  return app;
}
