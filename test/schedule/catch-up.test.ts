// Schedule arithmetic with an injected clock: last fire time, missed runs, time-zone boundaries.
import { describe, expect, it } from 'vitest';
import { localDate, weekdayOf } from '../../src/clock.ts';
import { lastFireTime, missedFireTime } from '../../src/schedule/catch-up.ts';

describe('lastFireTime / missedFireTime', () => {
  it('finds the latest fire time in the schedule time zone', () => {
    const now = new Date('2026-11-24T10:00:30Z');
    expect(lastFireTime('0 7 * * *', 'UTC', now)?.toISOString()).toBe('2026-11-24T07:00:00.000Z');
    // 07:00 in Los Angeles (UTC-8 in November) is 15:00 UTC: today's has not come yet, so yesterday's.
    expect(lastFireTime('0 7 * * *', 'America/Los_Angeles', now)?.toISOString()).toBe('2026-11-23T15:00:00.000Z');
    expect(lastFireTime('0 7 * * 1', 'UTC', now)?.toISOString()).toBe('2026-11-23T07:00:00.000Z');
  });

  it('catches up once after downtime, and not when a run already happened since the fire time', () => {
    const now = new Date('2026-11-24T10:00:00Z');
    // Down for three days: one catch-up, for the latest fire time only.
    expect(missedFireTime('0 7 * * *', 'UTC', now, () => '2026-11-21T07:00:05Z')?.toISOString()).toBe('2026-11-24T07:00:00.000Z');
    expect(missedFireTime('0 7 * * *', 'UTC', now, () => '2026-11-24T07:00:05Z')).toBeNull();
    // A fresh install has never run: the latest scheduled run is due.
    expect(missedFireTime('0 7 * * *', 'UTC', now, () => null)?.toISOString()).toBe('2026-11-24T07:00:00.000Z');
    // The lookup is asked about the fire time it must settle.
    const asked: string[] = [];
    missedFireTime('0 7 * * *', 'UTC', now, (fire) => (asked.push(fire.toISOString()), null));
    expect(asked).toEqual(['2026-11-24T07:00:00.000Z']);
  });
});

describe('local dates', () => {
  it('a run at 23:30 in UTC-8 belongs to that local date, not the UTC one', () => {
    const instant = new Date('2026-11-25T07:30:00Z'); // 23:30 on the 24th in Los Angeles
    expect(localDate(instant, 'America/Los_Angeles')).toBe('2026-11-24');
    expect(localDate(instant, 'UTC')).toBe('2026-11-25');
    expect(localDate(new Date('2026-11-24T23:30:00Z'), 'Asia/Tokyo')).toBe('2026-11-25');
  });

  it('knows weekdays of calendar dates', () => {
    expect(weekdayOf('2026-11-24')).toBe(2); // a Tuesday
    expect(weekdayOf('2026-11-29')).toBe(0);
  });
});
