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
    /** The start time of the last run that finished, or null if none ever did. */
    lastFinishedStart(): string | null {
      const row = db.prepare('SELECT started_at FROM runs WHERE finished_at IS NOT NULL ORDER BY started_at DESC LIMIT 1').get() as
        | { started_at: string }
        | undefined;
      return row?.started_at ?? null;
    },
  };
}

export type RunsRepo = ReturnType<typeof runsRepo>;
