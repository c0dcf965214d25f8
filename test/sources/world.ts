// Per-test setup for source tests: apps on a temp project and fake servers, all closed after each test.
import { afterEach } from 'vitest';
import { createApp, type App } from '../../src/app.ts';
import { parseConfig } from '../../src/config.ts';
import type { TmpProject } from '../helpers/tmp.ts';
import { fakeServer, type FakeServer } from './fakes.ts';

export function sourcesWorld() {
  const servers: FakeServer[] = [];
  const apps: App[] = [];
  afterEach(async () => {
    for (const a of apps.splice(0)) await a.close();
    for (const s of servers.splice(0)) await s.close();
  });
  return {
    /** A fake server closed after the test; an already started one can be handed in to be closed too. */
    async serve(handler: Parameters<typeof fakeServer>[0] | Promise<FakeServer>): Promise<FakeServer> {
      const s = typeof handler === 'function' ? await fakeServer(handler) : await handler;
      servers.push(s);
      return s;
    },
    /** An app on the project with extra settings; `at.now` is its clock (move it to change days). */
    open(proj: TmpProject, env: Record<string, string>, at: { now: Date } = { now: new Date('2024-10-25T08:00:00Z') }): App {
      const app = createApp(parseConfig({ ...proj.env, ...env }), { now: () => at.now });
      apps.push(app);
      return app;
    },
    /** Closes an app before the test ends (a second process's view of the same store). */
    async close(app: App): Promise<void> {
      apps.splice(apps.indexOf(app), 1);
      await app.close();
    },
  };
}
