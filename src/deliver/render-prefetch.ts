// The sender's side of the render child: started before queueing (it loads while the ledger fills), asked for the
// queue's selections once it is filled, its templates handed to the template cache; the child then exits.
import { fork, type ChildProcess } from 'node:child_process';
import type { App } from '../app.ts';
import { withBytes, type MimeTemplate } from './message.ts';
import type { RenderJob, RenderReply } from './render-child.ts';

/** Below this many messages a delivery renders in its own process: a child's start would cost more than it saves. */
export const RENDER_CHILD_MIN = 2000;

/**
 * How long the sender waits for the child, to start and then to render, before it gives up on it and renders
 * itself: a child that is frozen or stuck must not hold a delivery (and a daemon's stop) forever. Generous:
 * the slowest render measured is seconds.
 */
export const RENDER_CHILD_WAIT_MS = 5 * 60_000;

export interface RenderPrefetch {
  pid: number | undefined;
  /** The templates of these selection keys (null: nothing in that selection), or null if the child failed (render here). */
  templates(keys: string[]): Promise<Map<string, MimeTemplate | null> | null>;
  /** Ends the child if it is still there (a delivery that stopped early). */
  close(): void;
}

/** The environment without the mail server's, the signing and the sources' secrets: the child gets its config by message. */
const childEnv = (): NodeJS.ProcessEnv =>
  Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(PAPERBOY_(SMTP|SECRET|DKIM)|HF_TOKEN)/.test(k)));

export function startRenderChild(app: App, date: string, log: (line: string) => void, opts: { waitMs?: number; signal?: AbortSignal } = {}): RenderPrefetch {
  const waitMs = opts.waitMs ?? RENDER_CHILD_WAIT_MS;
  // The compiled child beside the compiled sender (dist/), else the TypeScript source through tsx (tests, a stale build).
  const ts = import.meta.url.endsWith('.ts');
  let child: ChildProcess | null = null;
  let failed: string | null = null;
  /** Ends whichever wait is current: the child's message, or why there will be none. */
  let wake: ((m: unknown) => void) | null = null;
  let early: unknown = undefined;
  const fail = (why: string) => {
    failed ??= why;
    wake?.(undefined);
  };
  try {
    child = fork(new URL(`./render-child.${ts ? 'ts' : 'js'}`, import.meta.url), [], {
      execArgv: ts ? ['--import', 'tsx'] : [],
      env: childEnv(),
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    child.on('error', (err) => fail(err.message));
    child.on('exit', (code, sig) => fail(`exited with ${code ?? sig}`));
    child.on('message', (m) => (wake ? wake(m) : (early = m)));
  } catch (err) {
    failed = (err as Error).message;
  }
  opts.signal?.addEventListener('abort', () => fail('the delivery was stopped'), { once: true });

  /** The child's next message, or undefined once it failed, exited, was stopped or took longer than waitMs. */
  const next = (what: string): Promise<unknown> => {
    if (early !== undefined) {
      const m = early;
      early = undefined;
      return Promise.resolve(m);
    }
    if (failed !== null) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const timer = setTimeout(() => fail(`no ${what} in ${Math.round(waitMs / 1000)} s`), waitMs);
      wake = (m) => {
        clearTimeout(timer);
        wake = null;
        resolve(m);
      };
    });
  };
  const close = () => {
    child?.kill('SIGKILL');
    child = null;
  };
  const gaveUp = () => {
    log(`paperboy: the render child failed (${failed ?? 'closed'}); rendering in the sender`);
    close();
    return null;
  };
  let ready: Promise<unknown> | null = child ? next('start') : null;
  return {
    pid: child?.pid,
    async templates(keys) {
      await ready;
      ready = null;
      if (failed !== null || child === null) return gaveUp();
      // The mail server, DKIM and the sources' token stay out of the child (config and environment alike): it reads
      // the store and topics.yaml and renders, nothing else.
      const job: RenderJob = { config: { ...app.config, smtp: null, dkim: null, sources: { ...app.config.sources, hfToken: null } }, now: app.now().toISOString(), date, keys };
      const reply = next('reply') as Promise<RenderReply | undefined>;
      child.send(job, (err) => err && fail(err.message));
      const r = await reply;
      if (!r || !r.ok) {
        if (r && !r.ok) failed ??= r.error;
        return gaveUp();
      }
      // The child disconnects and exits by itself once it has replied.
      child = null;
      return new Map(r.templates.map(([key, t]) => [key, t === null ? null : withBytes(t)]));
    },
    close,
  };
}
