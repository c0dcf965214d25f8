// The daemon's scheduler: node-cron in PAPERBOY_TZ, one catch-up on start, no overlap, a clean stop.
import cron, { type ScheduledTask } from 'node-cron';
import type { App } from '../app.ts';
import { localDate } from '../clock.ts';
import { PaperboyError } from '../errors.ts';
import { runsRepo, type RunTrigger } from '../store/runs.ts';
import { missedFireTime } from './catch-up.ts';

export interface DaemonOptions {
  app: App;
  /** One whole run; the daemon passes an AbortSignal that fires on stop(). */
  job: (trigger: RunTrigger, date: string, signal: AbortSignal) => Promise<unknown>;
  log: (line: string) => void;
}

export interface Daemon {
  /** Settles when the start-up catch-up (if any) is done. */
  ready: Promise<void>;
  /** Stops scheduling, asks a running job to stop safely, and waits for it. */
  stop(): Promise<void>;
}

export function startDaemon(opts: DaemonOptions): Daemon {
  const { app, log } = opts;
  const abort = new AbortController();
  let current: Promise<void> | null = null;

  const runGuarded = (trigger: RunTrigger, date: string): Promise<void> => {
    // Within this process: never start a run while one is going; across processes the lease decides.
    if (current) {
      log(`schedule: a run is still going; skipping the ${trigger} run for ${date}`);
      return current;
    }
    current = (async () => {
      log(`run (${trigger}) for ${date} starting`);
      try {
        await opts.job(trigger, date, abort.signal);
        log(`run (${trigger}) for ${date} finished`);
      } catch (err) {
        if (err instanceof PaperboyError && err.code === 'LOCKED') log(`run (${trigger}) for ${date} skipped: ${err.message}`);
        else log(`run (${trigger}) for ${date} failed: ${(err as Error).message}`);
      } finally {
        current = null;
      }
    })();
    return current;
  };

  // Only a whole run for the fire time's own date settles it: `run --no-send` or `run --date <another day>`
  // after the missed time must not swallow the day's digest.
  const runs = runsRepo(app.db);
  const missed = missedFireTime(app.config.schedule, app.config.tz, app.now(), (fire) => runs.lastCompleteStart(localDate(fire, app.config.tz)));
  const ready = missed ? runGuarded('catch-up', localDate(missed, app.config.tz)) : Promise.resolve();

  const task: ScheduledTask = cron.schedule(
    app.config.schedule,
    () => {
      void runGuarded('schedule', localDate(app.now(), app.config.tz));
    },
    { timezone: app.config.tz, name: 'paperboy-run', noOverlap: true },
  );
  log(`schedule: "${app.config.schedule}" in ${app.config.tz}; next run ${task.getNextRun()?.toISOString() ?? 'never'}`);

  return {
    ready,
    async stop() {
      await task.destroy();
      abort.abort();
      if (current) await current;
    },
  };
}
