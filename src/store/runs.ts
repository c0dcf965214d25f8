// Run records: when each run started and finished, so the daemon can tell whether a scheduled run was missed.
import type { Db } from './db.ts';

export type RunTrigger = 'cli' | 'schedule' | 'catch-up';

export function runsRepo(db: Db) {
  return {
    start(date: string, trigger: RunTrigger, startedAt: Date): number {
      return Number(
        db.prepare('INSERT INTO runs (date, trigger, started_at) VALUES (?, ?, ?)').run(date, trigger, startedAt.toISOString()).lastInsertRowid,
      );
    },
    finish(id: number, finishedAt: Date, report: unknown): void {
      db.prepare('UPDATE runs SET finished_at = ?, report = ? WHERE id = ?').run(finishedAt.toISOString(), JSON.stringify(report), id);
    },
    /**
     * The start time of the last run for `date` that did the whole job, or null. A `--no-send` run, or one
     * whose delivery paused or was stopped (SIGTERM), did not deliver all of it: the day's run still owes that.
     */
    lastCompleteStart(date: string): string | null {
      const row = db
        .prepare(
          `SELECT started_at FROM runs WHERE finished_at IS NOT NULL AND date = ?
             AND coalesce(json_extract(report, '$.delivery.disabled'), 0) = 0
             AND coalesce(json_extract(report, '$.delivery.paused'), 0) = 0
             AND coalesce(json_extract(report, '$.delivery.stopped'), 0) = 0
           ORDER BY started_at DESC LIMIT 1`,
        )
        .get(date) as { started_at: string } | undefined;
      return row?.started_at ?? null;
    },
  };
}

export type RunsRepo = ReturnType<typeof runsRepo>;
