// Pure schedule arithmetic: the last time a cron expression fired before now, and whether a run was missed.
import cron from 'node-cron';

/** How far back catch-up looks: a daemon down for longer catches up once, for the latest fire time anyway. */
const LOOKBACK_MINUTES = 8 * 24 * 60;

/**
 * The most recent minute ≤ now at which `expression` fires in `tz`, or null if none within eight days.
 * node-cron's matcher is evaluated minute by minute backwards; 11,520 checks at most, well under a millisecond each.
 */
export function lastFireTime(expression: string, tz: string, now: Date): Date | null {
  const task = cron.createTask(expression, () => {}, { timezone: tz });
  try {
    const minute = new Date(now);
    minute.setUTCSeconds(0, 0);
    for (let i = 0; i <= LOOKBACK_MINUTES; i++) {
      if (task.match(minute)) return new Date(minute);
      minute.setUTCMinutes(minute.getUTCMinutes() - 1);
    }
    return null;
  } finally {
    void task.destroy();
  }
}

/**
 * The fire time a daemon starting at `now` should catch up, or null: the latest scheduled time is due
 * when no run that settles it started since. `settledSince(fire)` names the start of the last run that
 * counts for that fire time (the store decides which runs count), or null.
 */
export function missedFireTime(expression: string, tz: string, now: Date, settledSince: (fire: Date) => string | null): Date | null {
  const fire = lastFireTime(expression, tz, now);
  if (!fire) return null;
  const lastRunStart = settledSince(fire);
  if (lastRunStart !== null && Date.parse(lastRunStart) >= fire.getTime()) return null;
  return fire;
}
