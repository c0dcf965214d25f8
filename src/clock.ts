// Dates in the operator's time zone: which local day an instant belongs to, and the weekday of a local date.

/** The local calendar date `YYYY-MM-DD` of an instant in an IANA time zone. */
export function localDate(instant: Date, tz: string): string {
  // en-CA formats as YYYY-MM-DD; formatToParts keeps us independent of that detail.
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(instant);
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** 0 = Sunday … 6 = Saturday for a `YYYY-MM-DD` calendar date (no time zone involved). */
export function weekdayOf(date: string): number {
  return new Date(`${date}T12:00:00Z`).getUTCDay();
}

/** The calendar date `days` after `date` (negative for before). */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;
