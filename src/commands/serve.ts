// `paperboy serve`: the web server for the site plus the daily schedule, until SIGTERM.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { App } from '../app.ts';
import { startDaemon } from '../schedule/daemon.ts';
import { runOnce } from '../schedule/run.ts';
import { publishSite } from '../schedule/site-step.ts';
import { buildServer } from '../server/http.ts';
import { startServer } from '../server/serve.ts';
import { registerSubscribeRoutes } from '../server/subscribe-routes.ts';
import { confirmRequestsRepo } from '../store/confirm-requests.ts';
import { interestsRepo } from '../store/interests.ts';
import { subscribeDeps } from './subscribers.ts';

export async function serveCommand(app: App, o: { port?: number; host: string; schedule: boolean }): Promise<void> {
  const log = (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);
  const server = await buildServer({
    siteDir: app.config.siteDir,
    baseUrl: app.config.baseUrl,
    trustProxy: app.config.trustProxy,
    health: () => ({ editions: app.editions.list().length, latest: app.editions.list()[0]?.id ?? null }),
    extraRoutes: (server) =>
      registerSubscribeRoutes(server, { ...subscribeDeps(app), log, limits: { perHour: app.config.confirmPerHour }, counts: confirmRequestsRepo(app.db), reader: { interests: interestsRepo(app.db), editions: app.editions } }),
  });
  const port = o.port ?? app.config.port;
  let daemon: ReturnType<typeof startDaemon> | null = null;
  // Listen before the schedule starts: a port in use must stop the program before any run takes the lease.
  const running = await startServer(server, port, o.host, async () => {
    log('stopping: finishing the current run safely');
    await daemon?.stop();
  });
  // Starting a server changes nothing another process published (rebuilding belongs to runs, under the lease):
  // only a data folder with no site at all gets a first build (once listening: a port in use stops us first),
  // so a fresh install answers before its first run.
  if (!existsSync(join(app.config.siteDir, 'index.html'))) {
    await publishSite(app);
    log(`no site in ${app.config.siteDir} yet: built it once from the store`);
  }
  if (o.schedule) {
    daemon = startDaemon({
      app,
      log,
      job: async (trigger, date, signal) => {
        const r = await runOnce(app, { date, trigger, send: true, signal });
        log(`run ${r.date}: edition ${r.edition.status} (${r.edition.papers} papers), ${r.site.written.length} site files written`);
      },
    });
  }
  log(`serving ${app.config.siteDir} at ${running.url} (public URL ${app.config.baseUrl})${daemon ? '' : '; schedule off'}`);
  const pub = new URL(app.config.baseUrl);
  const localPublic = ['localhost', '127.0.0.1', '[::1]'].includes(pub.hostname);
  if (localPublic && (pub.port || (pub.protocol === 'https:' ? '443' : '80')) !== String(new URL(running.url).port)) {
    // The default public URL names port 8080: feeds, emails and forms would point away from this server.
    log(`note: links in feeds, emails and forms use PAPERBOY_BASE_URL (${app.config.baseUrl}), not ${running.url}; set PAPERBOY_BASE_URL to the address readers use`);
  }
  await running.closed;
  log('stopped');
}
