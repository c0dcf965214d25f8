// CSV import of subscribers (`email,topics,cadence[,weekday,status]`): one transaction, bad rows reported by line.
import { parse } from 'csv-parse/sync';
import { WEEKDAYS } from '../clock.ts';
import { SUBSCRIBER_STATUSES, currentSlugs, type Cadence, type SubscriberStatus, type TopicDef } from '../domain.ts';
import { PaperboyError } from '../errors.ts';
import { printable } from '../ingest/normalize.ts';
import { checkAddress } from './email-address.ts';
import type { StoredSubscriber } from '../store/subscribers.ts';
import { applyRequest, normalizeTopics, sendConfirmation, type SubscribeDeps } from './service.ts';

/**
 * Topic slugs from the CLI or CSV, a renamed topic's old slug read as its current one (an export from before
 * the rename imports as it was meant): unknown ones are an error naming the known ones. Empty = all topics.
 */
export function parseTopicList(value: string | undefined, topics: readonly TopicDef[]): string[] | null {
  const list = (value ?? '').split(/[;|,]/).map((s) => s.trim()).filter(Boolean);
  if (list.length === 0) return null;
  const unknown = list.filter((s) => currentSlugs([s], topics).length === 0);
  if (unknown.length) throw new PaperboyError('BAD_INPUT', `unknown topic(s) ${unknown.join(', ')}; known: ${topics.map((t) => t.slug).join(', ')}`);
  return currentSlugs(list, topics);
}

export function parseCadence(value: string | undefined): Cadence {
  const v = (value ?? '').trim().toLowerCase();
  if (v === '' || v === 'daily') return 'daily';
  if (v === 'weekly') return 'weekly';
  throw new PaperboyError('BAD_INPUT', `cadence must be daily or weekly, not "${value}"`);
}

export function parseWeekday(value: string | undefined): number {
  if (value === undefined) return 1;
  const i = WEEKDAYS.indexOf(value.trim().toLowerCase() as (typeof WEEKDAYS)[number]);
  if (i < 0) throw new PaperboyError('BAD_INPUT', `weekday must be one of ${WEEKDAYS.join(', ')}`);
  return i;
}


export interface ImportOptions {
  /** Skip the opt-in for rows without a status or with status active. */
  active?: boolean;
  /**
   * Addresses that unsubscribed here: alone, ask them again by email (a confirmation); with active, take
   * them (and bounced ones) back without one.
   */
  reactivate?: boolean;
}

export interface ImportReport {
  rows: number;
  added: number;
  updated: number;
  unchanged: number;
  confirmationsSent: number;
  active: boolean;
  /** Addresses that unsubscribed or bounced here (or are marked so in the CSV) and were left out. */
  keptOut: { line: number; email: string; status: SubscriberStatus }[];
  reactivated: number;
  errors: { line: number; reason: string }[];
}

export interface ImportDeps extends SubscribeDeps {
  transaction: (fn: () => void) => void;
}

/**
 * Known addresses are updated, never duplicated; the rules are the sign-up rules (service.applyRequest).
 * A row's status column, when present: `pending` stays pending and gets a confirmation even with --active
 * (it never confirmed), `unsubscribed`/`bounced` are opt-outs carried over: new rows are stored that way and
 * active or pending ones stop getting mail. Empty or `active` means what --active says. Weekday: a name.
 */
export async function importCsv(deps: ImportDeps, csv: string, opts: ImportOptions): Promise<ImportReport> {
  const active = opts.active ?? false;
  const { records, broken } = readRows(csv);
  if (records.length > 0 && !('email' in records[0]!.record)) throw new PaperboyError('BAD_INPUT', 'CSV needs a header row with an "email" column (email,topics,cadence)');
  const report: ImportReport = { rows: records.length + broken.length, added: 0, updated: 0, unchanged: 0, confirmationsSent: 0, active, keptOut: [], reactivated: 0, errors: [...broken] };
  const now = deps.now().toISOString();
  // By id, the row as the last line for it left it: a duplicate line sends one confirmation, an opt-out none.
  const toConfirm = new Map<number, StoredSubscriber>();
  deps.transaction(() => {
    for (const { record, line } of records) {
      // The file was read as UTF-8 with replacement: say so, rather than "not a valid address" or "unknown topic".
      if (Object.values(record).some((v) => v.includes('\uFFFD'))) {
        report.errors.push({ line, reason: 'holds bytes that are not valid UTF-8' });
        continue;
      }
      const address = checkAddress(record.email);
      if (!address.ok) {
        report.errors.push({ line, reason: address.reason });
        continue;
      }
      const status = (record.status ?? '').toLowerCase();
      let choice: { topics: string[] | null; cadence: Cadence; weekday: number | null };
      try {
        if (status !== '' && !(SUBSCRIBER_STATUSES as readonly string[]).includes(status)) throw new PaperboyError('BAD_INPUT', `status must be one of ${SUBSCRIBER_STATUSES.join(', ')}, not "${record.status}"`);
        choice = { topics: normalizeTopics(parseTopicList(record.topics, deps.topics), deps.topics), cadence: parseCadence(record.cadence), weekday: record.weekday ? parseWeekday(record.weekday) : null };
      } catch (err) {
        report.errors.push({ line, reason: (err as Error).message });
        continue;
      }
      const existing = deps.subscribers.findByEmail(address.email);
      const withWeekday = { ...choice, weekday: choice.weekday ?? existing?.weekday ?? 1 };
      if (status === 'unsubscribed' || status === 'bounced') {
        const optOut = status as SubscriberStatus;
        if (!existing) {
          deps.subscribers.create({ email: address.email, ...withWeekday, status: optOut, consent: { at: now, ip: null, source: 'import' } });
          report.added++;
        } else if (existing.status === 'active' || existing.status === 'pending') {
          if (optOut === 'bounced') deps.subscribers.markBounced(existing.id);
          else deps.subscribers.unsubscribe(existing.id, now);
          toConfirm.delete(existing.id);
          report.updated++;
        }
        report.keptOut.push({ line, email: address.email, status: optOut });
        continue;
      }
      const activate = active && status !== 'pending';
      // The sign-up rules, the operator's way: an active row takes the file's choice, as `subscribers add` does.
      const r = applyRequest(deps.subscribers, address.email, withWeekday, { at: now, ip: null, source: activate ? 'import --active' : 'import' }, { activate, reactivate: opts.reactivate, operator: true }, existing);
      if (r.action === 'kept-out' || r.action === 'bounced') report.keptOut.push({ line, email: address.email, status: r.subscriber.status });
      else if (r.action === 'already-active') report.unchanged++;
      else if (r.created) report.added++;
      else report.updated++;
      if (r.action === 'reactivated') report.reactivated++;
      if (r.needsConfirmation) toConfirm.set(r.subscriber.id, r.subscriber);
      else toConfirm.delete(r.subscriber.id);
    }
  });
  for (const s of toConfirm.values()) if ((await sendConfirmation(deps, s)).ok) report.confirmationsSent++;
  // Reasons quote the file (an unknown topic, a cadence): nothing in it may act on the operator's terminal.
  for (const e of report.errors) e.reason = printable(e.reason);
  report.errors.sort((a, b) => a.line - b.line);
  return report;
}

type Row = { record: Record<string, string>; line: number };
const CSV_OPTIONS = { skip_empty_lines: true, bom: true, trim: true, relax_column_count: true, info: true } as const;
const header = (h: string[]) => h.map((c) => c.trim().toLowerCase());

/**
 * The rows of the CSV by line, and the lines that are no CSV row at all. A stray quote must not cost the
 * rows after it: csv-parse stops at the first such error (and an unclosed quote runs to the end of the file),
 * so a file it cannot read whole is read line by line, each line on its own. No field of this file (an
 * address, slugs, a cadence, a weekday, a status) holds a line break, so that reading loses nothing.
 */
function readRows(csv: string): { records: Row[]; broken: { line: number; reason: string }[] } {
  const whole = (text: string) =>
    (parse(text, { ...CSV_OPTIONS, columns: header }) as { record: Record<string, string>; info: { lines: number } }[]).map((r) => ({ record: r.record, line: r.info.lines }));
  try {
    return { records: whole(csv), broken: [] };
  } catch (err) {
    const lines = csv.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
    const first = lines.findIndex((l) => l.trim() !== '');
    let columns: string[];
    try {
      columns = header((parse(lines[first] ?? '', { ...CSV_OPTIONS, info: false }) as string[][])[0] ?? []);
    } catch {
      throw new PaperboyError('BAD_INPUT', `CSV cannot be read: ${printable((err as Error).message)}`);
    }
    const records: Row[] = [];
    const broken: { line: number; reason: string }[] = [];
    lines.forEach((text, i) => {
      if (i <= first || text.trim() === '') return;
      try {
        const [values] = parse(text, { ...CSV_OPTIONS, info: false }) as string[][];
        records.push({ record: Object.fromEntries(columns.slice(0, values?.length ?? 0).map((c, k) => [c, values![k]!])), line: i + 1 });
      } catch (lineErr) {
        broken.push({ line: i + 1, reason: `not a CSV row: ${(lineErr as Error).message.replace(/ at line \d+/, '')}` });
      }
    });
    return { records, broken };
  }
}
