// The sender's side of the render child: started before queueing (it loads while the ledger fills), asked for the
// queue's selections once it is filled, its templates handed to the template cache; the child then exits.
import { fork, type ChildProcess } from 'node:child_process';
import type { App } from '../app.ts';
import { withBytes, type MimeTemplate } from './message.ts';
import type { RenderJob, RenderReply } from './render-child.ts';

/** Below this many messages a delivery renders in its own process: a child's start would cost more than it saves. */
export const RENDER_CHILD_MIN = 2000;

export interface RenderPrefetch {
  pid: number | undefined;
  /** The templates of these selection keys (null: nothing in that selection), or null if the child failed (render here). */
  templates(keys: string[]): Promise<Map<string, MimeTemplate | null> | null>;
  /** Ends the child if it is still there (a delivery that stopped early). */
  close(): void;
}

export function startRenderChild(app: App, date: string, log: (line: string) => void): RenderPrefetch {
  // The compiled child beside the compiled sender (dist/), else the TypeScript source through tsx (tests, a stale build).
  const ts = import.meta.url.endsWith('.ts');
  let child: ChildProcess | null = fork(new URL(`./render-child.${ts ? 'ts' : 'js'}`, import.meta.url), [], {
    execArgv: ts ? ['--import', 'tsx'] : [],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  let failed: string | null = null;
  const fail = (why: string) => (failed ??= why);
  child.on('error', (err) => fail(err.message));
  const ready = new Promise<void>((resolve) => {
    child!.once('message', () => resolve());
    child!.once('exit', (code) => resolve(void fail(`exited with ${code}`)));
  });
  const close = () => {
    child?.kill();
    child = null;
  };
  return {
    pid: child.pid,
    async templates(keys) {
      await ready;
      if (failed !== null || child === null) {
        log(`paperboy: the render child failed (${failed ?? 'closed'}); rendering in the sender`);
        close();
        return null;
      }
      const c = child;
      // Secrets and the mail server stay out of the child: it reads the store and topics.yaml and renders, nothing else.
      const job: RenderJob = { config: { ...app.config, smtp: null, dkim: null, sources: { ...app.config.sources, hfToken: null } }, now: app.now().toISOString(), date, keys };
      const reply = await new Promise<RenderReply>((resolve) => {
        c.once('message', (m) => resolve(m as RenderReply));
        c.once('exit', (code) => resolve({ ok: false, error: `exited with ${code}` }));
        c.send(job);
      });
      child = null;
      if (!reply.ok) {
        log(`paperboy: the render child failed (${reply.error}); rendering in the sender`);
        c.kill();
        return null;
      }
      return new Map(reply.templates.map(([key, t]) => [key, t === null ? null : withBytes(t)]));
    },
    close,
  };
}
