// Progress display for long work: a bar on a terminal, plain lines on stderr otherwise, or nothing.
import { createRequire } from 'node:module';
import type CliProgress from 'cli-progress';

// Loaded for a bar only (a terminal): cron, pipes and --json never pay for it.
const cliProgress = () => createRequire(import.meta.url)('cli-progress') as typeof CliProgress;

export interface Progress {
  update(done: number, total: number, label?: string): void;
  stop(): void;
}

/** `bar` on a terminal; `lines` for logs (cron, pipes): a line per 10% or per LINE_EVERY_MS; `off`. */
export type ProgressMode = 'bar' | 'lines' | 'off';

const LINE_EVERY_MS = 10_000;
const silent: Progress = { update() {}, stop() {} };

/** The mode for a command: a bar on a TTY unless --json; plain lines otherwise (stderr, so stdout stays pure). */
export const progressMode = (json: boolean, tty = process.stderr.isTTY === true): ProgressMode => (tty && !json ? 'bar' : 'lines');

/** Every mode writes to stderr, so a command's stdout (its report, its --json) stays clean. */
export function progress(title: string, mode: ProgressMode): Progress {
  const stream = process.stderr;
  if (mode === 'off') return silent;
  if (mode === 'lines') return lines(title, stream);
  const { SingleBar, Presets } = cliProgress();
  const bar = new SingleBar(
    { format: `${title} [{bar}] {value}/{total} {label}`, stream, clearOnComplete: true, hideCursor: true },
    Presets.shades_classic,
  );
  let started = false;
  return {
    update(done, total, label = '') {
      if (!started) {
        bar.start(total, done, { label });
        started = true;
      }
      bar.setTotal(total);
      bar.update(done, { label });
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

/** A line whenever another tenth is done or LINE_EVERY_MS have passed, and one at the end. */
function lines(title: string, stream: NodeJS.WritableStream): Progress {
  const started = Date.now();
  let lastAt = started;
  let lastTenth = -1;
  let last: { done: number; total: number } | null = null;
  let printed: { done: number; total: number } | null = null;
  const print = (done: number, total: number) => {
    const s = (Date.now() - started) / 1000;
    const pct = total > 0 ? Math.floor((done / total) * 100) : 100;
    stream.write(`${title}: ${done}/${total} (${pct}%), ${s.toFixed(0)} s, ${s > 0 ? Math.round(done / s) : 0}/s\n`);
    printed = { done, total };
    lastAt = Date.now();
  };
  return {
    update(done, total) {
      last = { done, total };
      const tenth = total > 0 ? Math.floor((done * 10) / total) : 10;
      if (tenth > lastTenth || Date.now() - lastAt >= LINE_EVERY_MS) {
        lastTenth = tenth;
        print(done, total);
      }
    },
    stop() {
      if (last && (printed?.done !== last.done || printed.total !== last.total)) print(last.done, last.total);
    },
  };
}
