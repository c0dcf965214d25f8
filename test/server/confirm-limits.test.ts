// The subscribe form's limits as serve wires them: an overall cap on confirmations, per-IP counts kept in the store.
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.ts';
import { subscribeDeps } from '../../src/commands/subscribers.ts';
import { parseConfig } from '../../src/config.ts';
import { outboxMailer, type Outgoing } from '../../src/deliver/mailer.ts';
import { buildServer } from '../../src/server/http.ts';
import { registerSubscribeRoutes } from '../../src/server/subscribe-routes.ts';
import { confirmRequestsRepo } from '../../src/store/confirm-requests.ts';
import { BackgroundTasks } from '../../src/subscribe/background.ts';
import { tmpProject, type TmpProject } from '../helpers/tmp.ts';

const open: { close(): Promise<unknown> | unknown }[] = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

/** The app on a data folder, with a mailer that records what it sends; `clock` moves its time. */
function appOn(proj: TmpProject, env: Record<string, string> = {}) {
  const clock = { now: new Date('2026-11-24T07:00:00Z') };
  const sent: Outgoing[] = [];
  const outbox = outboxMailer(`${proj.dataDir}/outbox`);
  const mailer = { ...outbox, send: (m: Outgoing) => (sent.push(m), outbox.send(m)) };
  const app: App = createApp(parseConfig({ ...proj.env, PAPERBOY_BASE_URL: 'https://papers.example.org', ...env }), { now: () => clock.now, mailer });
  open.push(app);
  return { app, sent, clock };
}

/** The server as `serve` builds it: limits from the configuration, counts in the store. */
async function serverOf(app: App, perIpPerHour?: number) {
  const tasks = new BackgroundTasks(() => {});
  const server = await buildServer({
    siteDir: `${app.config.dataDir}/site`,
    baseUrl: app.config.baseUrl,
    extraRoutes: (s) => registerSubscribeRoutes(s, { ...subscribeDeps(app), tasks, limits: { perHour: app.config.confirmPerHour, perIpPerHour }, counts: confirmRequestsRepo(app.db) }),
  });
  open.push(server);
  const post = async (email: string, ip: string) => {
    const r = await server.inject({ method: 'POST', url: '/subscribe', remoteAddress: ip, payload: `email=${encodeURIComponent(email)}`, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    await tasks.idle();
    return r.statusCode;
  };
  return { server, post };
}

describe('confirmation limits', () => {
  it('100 source addresses cannot send more confirmations an hour than PAPERBOY_CONFIRM_PER_HOUR', async () => {
    const { app, sent, clock } = appOn(tmpProject(), { PAPERBOY_CONFIRM_PER_HOUR: '25' });
    const { post } = await serverOf(app);
    const statuses: number[] = [];
    for (let ip = 1; ip <= 100; ip++) for (let k = 0; k < 3; k++) statuses.push(await post(`p${ip}-${k}@example.org`, `10.0.${Math.floor(ip / 200)}.${ip}`));
    expect(sent).toHaveLength(25);
    expect(statuses.filter((s) => s === 200)).toHaveLength(25);
    expect(statuses.filter((s) => s === 429)).toHaveLength(275);
    // An hour later the form works again.
    clock.now = new Date('2026-11-24T08:00:01Z');
    expect(await post('later@example.org', '10.0.9.9')).toBe(200);
    expect(sent).toHaveLength(26);
  }, 180_000);

  it('per-IP counts are kept across a restart of the server', async () => {
    const proj = tmpProject();
    const first = appOn(proj);
    const a = await serverOf(first.app, 2);
    expect(await a.post('one@example.org', '192.0.2.7')).toBe(200);
    expect(await a.post('two@example.org', '192.0.2.7')).toBe(200);
    expect(await a.post('three@example.org', '192.0.2.7')).toBe(429);
    for (const o of open.splice(0).reverse()) await o.close();

    // The server restarts on the same data folder: the address is still over its limit, another is not.
    const second = appOn(proj);
    const b = await serverOf(second.app, 2);
    expect(await b.post('four@example.org', '192.0.2.7')).toBe(429);
    expect(await b.post('five@example.org', '192.0.2.8')).toBe(200);
    second.clock.now = new Date('2026-11-24T08:00:01Z');
    expect(await b.post('six@example.org', '192.0.2.7')).toBe(200);
  }, 180_000);
});
