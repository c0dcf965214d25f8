// A test world for the subscription routes: app on disk, outbox mailer that records, fastify via inject().
import type { FastifyInstance } from 'fastify';
import { createApp, type App } from '../../src/app.ts';
import { subscribeDeps } from '../../src/commands/subscribers.ts';
import { parseConfig } from '../../src/config.ts';
import { outboxMailer, type Outgoing, type SendOutcome } from '../../src/deliver/mailer.ts';
import { buildServer } from '../../src/server/http.ts';
import { registerSubscribeRoutes } from '../../src/server/subscribe-routes.ts';
import { BackgroundTasks } from '../../src/subscribe/background.ts';
import { tmpProject } from '../helpers/tmp.ts';

export const open: (App | FastifyInstance)[] = [];
export async function closeAll(): Promise<void> {
  for (const o of open.splice(0)) await o.close();
}

export interface WorldOptions {
  limits?: { perIpPerHour?: number; perAddressPerDay?: number };
  trustProxy?: boolean | string[];
  /** Wraps the outbox send (to delay or fail it). */
  send?: (m: Outgoing, outbox: (m: Outgoing) => Promise<SendOutcome>) => Promise<SendOutcome>;
}

export async function world(o: WorldOptions = {}) {
  const proj = tmpProject();
  let now = new Date('2026-11-24T07:00:00Z');
  const sent: Outgoing[] = [];
  const logged: string[] = [];
  const outbox = outboxMailer(`${proj.dataDir}/outbox`);
  const send = async (m: Outgoing) => (sent.push(m), outbox.send(m));
  const mailer = { ...outbox, send: (m: Outgoing) => (o.send ? o.send(m, send) : send(m)) };
  const app = createApp(parseConfig({ ...proj.env, PAPERBOY_BASE_URL: 'https://papers.example.org' }), { now: () => now, mailer });
  const tasks = new BackgroundTasks((line) => logged.push(line));
  const limits = o.limits ?? { perIpPerHour: 100, perAddressPerDay: 100 };
  const server = await buildServer({
    siteDir: `${proj.dataDir}/site`,
    baseUrl: app.config.baseUrl,
    trustProxy: o.trustProxy,
    extraRoutes: (s) => registerSubscribeRoutes(s, { ...subscribeDeps(app), limits, tasks, log: (line) => logged.push(line) }),
  });
  open.push(server, app);
  const confirmToken = () => /\/confirm\/([\w-]+)/.exec(String(sent.at(-1)!.raw).replace(/=\r\n/g, ''))![1]!;
  const unsubscribePath = () => /<https:\/\/papers\.example\.org(\/unsubscribe\/[\w.-]+)>/.exec(String(sent.at(-1)!.raw).replace(/\r\n\s+/g, ' '))![1]!;
  const form = (body: Record<string, string | string[]>) => {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(body)) for (const x of [v].flat()) p.append(k, x);
    return p.toString();
  };
  /** A same-origin form post; the confirmation mail (sent after the response) is awaited too. */
  const post = async (url: string, body: Record<string, string | string[]> = {}, headers: Record<string, string> = {}, remoteAddress?: string) => {
    const r = await server.inject({ method: 'POST', url, payload: form(body), remoteAddress, headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } });
    await tasks.idle();
    return r;
  };
  const snapshot = () => JSON.stringify(app.db.prepare('SELECT * FROM subscribers').all()) + JSON.stringify(app.db.prepare('SELECT * FROM confirm_tokens').all());
  const addActive = (email: string) =>
    app.subscribers.create({ email, topics: null, cadence: 'daily', weekday: 1, status: 'active', consent: { at: '2026-11-01T00:00:00.000Z', ip: null, source: 'test' } });
  return { app, server, sent, logged, tasks, confirmToken, unsubscribePath, post, snapshot, addActive, setNow: (iso: string) => (now = new Date(iso)) };
}
