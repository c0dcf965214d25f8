// `paperboy subscribers add|remove|list|import|export`: the operator's view of the list.
import { readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { App } from '../app.ts';
import { WEEKDAYS } from '../clock.ts';
import type { Cadence, Subscriber, SubscriberStatus } from '../domain.ts';
import { PaperboyError } from '../errors.ts';
import { checkAddress } from '../subscribe/email-address.ts';
import { normalizeTopics, requestSubscription, type SubscribeDeps } from '../subscribe/service.ts';

export function subscribeDeps(app: App): SubscribeDeps {
  return {
    subscribers: app.subscribers,
    topics: app.topics().topics,
    send: (m) => app.mailer.send(m),
    now: app.now,
    baseUrl: app.config.baseUrl,
    from: app.config.from,
    secrets: app.secrets,
  };
}

/** Topic slugs from the CLI or CSV: unknown ones are an error naming the known ones. Empty = all topics. */
export function parseTopicList(value: string | undefined, known: string[]): string[] | null {
  const list = (value ?? '').split(/[;|,]/).map((s) => s.trim()).filter(Boolean);
  if (list.length === 0) return null;
  const unknown = list.filter((s) => !known.includes(s));
  if (unknown.length) throw new PaperboyError('BAD_INPUT', `unknown topic(s) ${unknown.join(', ')}; known: ${known.join(', ')}`);
  return list;
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

export async function addSubscriber(app: App, email: string, o: { topics?: string; cadence?: string; weekday?: string; active?: boolean }): Promise<string> {
  const known = app.topics().topics.map((t) => t.slug);
  const r = await requestSubscription(
    subscribeDeps(app),
    { email, topics: parseTopicList(o.topics, known), cadence: parseCadence(o.cadence), weekday: parseWeekday(o.weekday), ip: null, source: o.active ? 'cli --active' : 'cli' },
    { activate: o.active },
  );
  if (!r.ok) throw new PaperboyError('BAD_INPUT', `${JSON.stringify(email)}: ${r.reason}`);
  if (r.action === 'activated') return `${r.subscriber.email}: active (opt-in skipped with --active: you vouch for this address)`;
  if (r.action === 'already-active') return `${r.subscriber.email}: already active${o.active ? '; preferences updated' : ''}`;
  return `${r.subscriber.email}: pending; confirmation email ${r.delivery?.ok ? 'sent' : `NOT sent (${r.delivery?.response})`}`;
}

export function removeSubscriber(app: App, email: string, purge: boolean): string {
  const check = checkAddress(email);
  const s = check.ok ? app.subscribers.findByEmail(check.email) : null;
  if (!s) throw new PaperboyError('NOT_FOUND', `no subscriber ${JSON.stringify(email)}`);
  if (purge) {
    app.subscribers.remove(s.id);
    return `${s.email}: deleted with its history`;
  }
  app.subscribers.unsubscribe(s.id, app.now().toISOString());
  return `${s.email}: unsubscribed`;
}

export interface SubscriberListing {
  email: string;
  status: SubscriberStatus;
  topics: string[] | null;
  cadence: Cadence;
  weekday: string;
  createdAt: string;
  confirmedAt: string | null;
}

export function listSubscribers(app: App, status?: string): SubscriberListing[] {
  const statuses = ['pending', 'active', 'unsubscribed', 'bounced'];
  if (status !== undefined && !statuses.includes(status)) throw new PaperboyError('BAD_INPUT', `status must be one of ${statuses.join(', ')}`);
  return app.subscribers.list(status as SubscriberStatus | undefined).map((s: Subscriber) => ({
    email: s.email,
    status: s.status,
    topics: s.topics,
    cadence: s.cadence,
    weekday: WEEKDAYS[s.weekday]!,
    createdAt: s.createdAt,
    confirmedAt: s.confirmedAt,
  }));
}

export function formatSubscribers(list: SubscriberListing[]): string {
  if (list.length === 0) return 'no subscribers';
  const lines = list.map((s) => `${s.status.padEnd(12)} ${s.cadence === 'weekly' ? `weekly/${s.weekday.slice(0, 3)}` : 'daily     '}  ${s.email}  ${s.topics?.join(',') ?? 'all topics'}`);
  return [...lines, `${list.length} subscribers`].join('\n');
}

export interface ImportReport {
  rows: number;
  added: number;
  updated: number;
  unchanged: number;
  confirmationsSent: number;
  active: boolean;
  errors: { line: number; reason: string }[];
}

/**
 * CSV `email,topics,cadence` (topics separated by ; or |, empty = all). One transaction for the rows;
 * bad rows are reported by line and skipped. Known addresses are updated, never duplicated.
 * Without --active, new and returning addresses become pending and get a confirmation email.
 */
export async function importSubscribers(app: App, csv: string, active: boolean): Promise<ImportReport> {
  const known = app.topics().topics.map((t) => t.slug);
  let records: { record: Record<string, string>; line: number }[];
  try {
    records = (parse(csv, { columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()), skip_empty_lines: true, bom: true, trim: true, relax_column_count: true, info: true }) as { record: Record<string, string>; info: { lines: number } }[]).map(
      (r) => ({ record: r.record, line: r.info.lines }),
    );
  } catch (err) {
    throw new PaperboyError('BAD_INPUT', `CSV cannot be read: ${(err as Error).message}`);
  }
  if (records.length > 0 && !('email' in records[0]!.record)) throw new PaperboyError('BAD_INPUT', 'CSV needs a header row with an "email" column (email,topics,cadence)');
  const report: ImportReport = { rows: records.length, added: 0, updated: 0, unchanged: 0, confirmationsSent: 0, active, errors: [] };
  const now = app.now().toISOString();
  const toConfirm: number[] = [];
  const apply = app.db.transaction(() => {
    for (const { record, line } of records) {
      const address = checkAddress(record.email);
      if (!address.ok) {
        report.errors.push({ line, reason: `${address.reason}` });
        continue;
      }
      let topics: string[] | null;
      let cadence: Cadence;
      try {
        topics = normalizeTopics(parseTopicList(record.topics, known), app.topics().topics);
        cadence = parseCadence(record.cadence);
      } catch (err) {
        report.errors.push({ line, reason: (err as Error).message });
        continue;
      }
      const existing = app.subscribers.findByEmail(address.email);
      if (existing?.status === 'active') {
        app.subscribers.setPreferences(existing.id, { topics, cadence, weekday: existing.weekday });
        report.unchanged++;
        continue;
      }
      const r = app.subscribers.upsert({ email: address.email, topics, cadence, weekday: 1, status: active ? 'active' : 'pending', consent: { at: now, ip: null, source: active ? 'import --active' : 'import' } });
      if (r.created) report.added++;
      else report.updated++;
      if (!active) toConfirm.push(r.subscriber.id);
    }
  });
  apply();
  const { sendConfirmation } = await import('../subscribe/service.ts');
  const deps = subscribeDeps(app);
  for (const id of toConfirm) if ((await sendConfirmation(deps, app.subscribers.get(id)!)).ok) report.confirmationsSent++;
  return report;
}

export function formatImport(r: ImportReport): string {
  const lines = [
    `${r.rows} rows: ${r.added} added, ${r.updated} updated, ${r.unchanged} already active (preferences updated), ${r.errors.length} rejected`,
    r.active ? 'imported as active (opt-in skipped with --active: you vouch for these addresses)' : `${r.confirmationsSent} confirmation emails sent; addresses stay pending until confirmed`,
  ];
  for (const e of r.errors.slice(0, 50)) lines.push(`  line ${e.line}: ${e.reason}`);
  if (r.errors.length > 50) lines.push(`  … and ${r.errors.length - 50} more`);
  return lines.join('\n');
}

export function exportSubscribers(app: App): string {
  return stringify(
    app.subscribers.list().filter((s) => s.status === 'active' || s.status === 'pending').map((s) => [s.email, s.topics?.join(';') ?? '', s.cadence]),
    { header: true, columns: ['email', 'topics', 'cadence'] },
  );
}

export const readInput = (file: string) => (file === '-' ? readFileSync(0, 'utf8') : readFileSync(file, 'utf8'));
export const writeOutput = (file: string | undefined, text: string) => (file && file !== '-' ? writeFileSync(file, text) : process.stdout.write(text));
