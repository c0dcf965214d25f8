// The subscribe form's limits as serve wires them: an overall cap on confirmations, per-IP and per-address counts kept in the store.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.ts';
import { subscribeDeps } from '../../src/commands/subscribers.ts';
import { parseConfig } from '../../src/config.ts';
import { outboxMailer, type Outgoing } from '../../src/deliver/mailer.ts';
import { buildServer } from '../../src/server/http.ts';
import { registerSubscribeRoutes } from '../../src/server/subscribe-routes.ts';
import { confirmRequestsRepo } from '../../src/store/confirm-requests.ts';
import { openDb } from '../../src/store/db.ts';
import { BackgroundTasks } from '../../src/subscribe/background.ts';
import { ROOT, tmpProject, type TmpProject } from '../helpers/tmp.ts';

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
async function serverOf(app: App, perIpPerHour?: number, perAddressPerDay?: number) {
  const tasks = new BackgroundTasks(() => {});
  const server = await buildServer({
    siteDir: `${app.config.dataDir}/site`,
    baseUrl: app.config.baseUrl,
    extraRoutes: (s) => registerSubscribeRoutes(s, { ...subscribeDeps(app), tasks, limits: { perHour: app.config.confirmPerHour, perIpPerHour, perAddressPerDay }, counts: confirmRequestsRepo(app.db) }),
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

  it('per-address counts hold across two app instances on one data folder and across a restart, and name no address', async () => {
    const proj = tmpProject();
    const one = appOn(proj);
    const two = appOn(proj);
    const a = await serverOf(one.app, 100, 3);
    const b = await serverOf(two.app, 100, 3);
    // Each request from a different client: only the address ties them together.
    expect(await a.post('target@example.org', '192.0.2.1')).toBe(200);
    expect(await b.post('Target@Example.org', '192.0.2.2')).toBe(200);
    expect(await a.post('target@example.org', '192.0.2.3')).toBe(200);
    expect([one.sent.length, two.sent.length]).toEqual([2, 1]);
    // The fourth, on either instance: the same page, and no email.
    expect(await b.post('target@example.org', '192.0.2.4')).toBe(200);
    expect(await a.post('target@example.org', '192.0.2.5')).toBe(200);
    expect(one.sent.length + two.sent.length).toBe(3);
    expect(await b.post('other@example.org', '192.0.2.6')).toBe(200);
    expect(two.sent).toHaveLength(2);
    const keys = (one.app.db.prepare('SELECT key FROM confirm_requests').all() as { key: string }[]).map((r) => r.key);
    expect(keys.filter((k) => k.startsWith('addr:'))).toHaveLength(4);
    expect(keys.join(' ')).not.toMatch(/example\.org|target|other/i);
    for (const o of open.splice(0).reverse()) await o.close();

    // Restarted: still over the limit for the day; a day after the first request, one more is let through.
    const three = appOn(proj);
    const c = await serverOf(three.app, 100, 3);
    expect(await c.post('target@example.org', '192.0.2.7')).toBe(200);
    expect(three.sent).toHaveLength(0);
    three.clock.now = new Date('2026-11-25T07:00:01Z');
    expect(await c.post('target@example.org', '192.0.2.8')).toBe(200);
    expect(three.sent).toHaveLength(1);
  }, 180_000);

  it('two processes taking from one store at once never pass the limit together', async () => {
    const proj = tmpProject();
    const db = join(proj.dataDir, 'paperboy.db');
    // Both processes open the store and say so; told to go at once, they race 3,000 takes each on one key.
    const script = `
      import { openDb } from ${JSON.stringify(join(ROOT, 'src/store/db.ts'))};
      import { confirmRequestsRepo } from ${JSON.stringify(join(ROOT, 'src/store/confirm-requests.ts'))};
      const repo = confirmRequestsRepo(openDb(process.argv[2]));
      process.stdout.write('ready\\n');
      process.stdin.once('data', () => {
        let ok = 0;
        for (let i = 0; i < 3000; i++) if (repo.take('addr:k', 1_000_000 + i, 4000, 24 * 3600_000)) ok++;
        process.stdout.write(String(ok));
        process.exit(0);
      });
    `;
    const file = join(proj.dir, 'take.ts');
    writeFileSync(file, script);
    openDb(db).close(); // migrated before the race
    const start = () => {
      const child = spawn(process.execPath, ['--import', 'tsx', file, db], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stderr.on('data', (d) => (err += d));
      child.stdin.on('error', () => {}); // a child that died early shows in its exit code below
      const ready = new Promise<void>((resolve) => child.stdout.on('data', (d) => ((out += d), out.includes('ready\n') && resolve())));
      const done = new Promise<number>((resolve, reject) => {
        child.on('error', reject);
        child.on('close', (code) => (code === 0 ? resolve(Number(out.replace('ready\n', ''))) : reject(new Error(`exit ${code}: ${err}`))));
      });
      return { child, ready, done };
    };
    const racers = [start(), start()];
    await Promise.all(racers.map((r) => r.ready));
    for (const r of racers) r.child.stdin.end('go\n');
    const [x, y] = await Promise.all(racers.map((r) => r.done));
    // 6,000 attempts, a limit of 4,000: exactly 4,000 let through, by the two together.
    expect(x! + y!).toBe(4000);
  }, 120_000);
});
