// `paperboy subscribers add|remove|list|import|export`: the operator's view of the list.
import { readFileSync, writeFileSync } from 'node:fs';
import { stringify } from 'csv-stringify/sync';
import type { App } from '../app.ts';
import { WEEKDAYS } from '../clock.ts';
import { SUBSCRIBER_STATUSES, type Cadence, type SubscriberStatus } from '../domain.ts';
import { PaperboyError } from '../errors.ts';
import type { StoredSubscriber } from '../store/subscribers.ts';
import { checkAddress } from '../subscribe/email-address.ts';
import { importCsv, parseCadence, parseTopicList, parseWeekday, type ImportOptions, type ImportReport } from '../subscribe/import.ts';
import { requestSubscription, sendConfirmation, normalizeTopics, type RequestAction, type SubscribeDeps } from '../subscribe/service.ts';
import { interestsRepo, type Interests } from '../store/interests.ts';
import { mergeInterests, unreadFollows } from '../subscribe/interests.ts';

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

const KEPT_OUT_HINT = 'kept out (--reactivate to ask them again by email, --active --reactivate to take it back)';

/** Interests as the CLI takes them; a given option replaces that list ("" clears it). */
export interface InterestOptions {
  keywords?: string;
  follow?: string;
  authors?: string;
}

export interface AddOptions extends InterestOptions {
  topics?: string;
  cadence?: string;
  weekday?: string;
  active?: boolean;
  /** An address that unsubscribed here: alone, ask it again by email; with --active, take it (or a bounced one) back. */
  reactivate?: boolean;
  json?: boolean;
}

export interface AddReport {
  email: string;
  status: SubscriberStatus;
  action: RequestAction;
  /** Whether a confirmation email went out; null when none was due. */
  confirmationSent: boolean | null;
  message: string;
  interests?: Interests;
}

const givesInterests = (o: InterestOptions) => o.keywords !== undefined || o.follow !== undefined || o.authors !== undefined;

/** Stores the given interests for subscriber `id`; a follow that is no arXiv id or paper id is refused. */
function checkFollows(o: InterestOptions): void {
  const bad = o.follow === undefined ? [] : unreadFollows(o.follow);
  if (bad.length > 0) throw new PaperboyError('BAD_INPUT', `--follow: not an arXiv id or paper id: ${bad.slice(0, 5).join(', ')}`);
}

function storeInterests(app: App, id: number, o: InterestOptions): Interests {
  checkFollows(o);
  const repo = interestsRepo(app.db);
  const next = mergeInterests(repo.get(id), o);
  repo.set(id, next, app.now().toISOString());
  return next;
}

export async function addSubscriberReport(app: App, email: string, o: AddOptions): Promise<AddReport> {
  const known = app.topics().topics;
  const deps = subscribeDeps(app);
  const r = requestSubscription(
    deps,
    { email, topics: parseTopicList(o.topics, known), cadence: parseCadence(o.cadence), weekday: parseWeekday(o.weekday), ip: null, source: o.active ? (o.reactivate ? 'cli --reactivate' : 'cli --active') : 'cli' },
    { activate: o.active, reactivate: o.reactivate, operator: true },
  );
  if (!r.ok) throw new PaperboyError('BAD_INPUT', `${JSON.stringify(email)}: ${r.reason}`);
  const report = (message: string, confirmationSent: boolean | null = null): AddReport => ({ email: r.subscriber.email, status: r.subscriber.status, action: r.action, confirmationSent, message: `${r.subscriber.email}: ${message}` });
  if (r.needsConfirmation) {
    const sent = await sendConfirmation(deps, r.subscriber);
    const state = r.subscriber.status === 'pending' ? 'pending' : `${r.subscriber.status} until confirmed`;
    return report(`${state}; confirmation email ${sent.ok ? 'sent' : `NOT sent (${sent.response})`}`, sent.ok);
  }
  switch (r.action) {
    case 'activated':
      return report('active (opt-in skipped with --active: you vouch for this address)');
    case 'reactivated':
      return report(`active again (was ${r.was}; taken back with --reactivate: you vouch for this address)`);
    case 'already-active':
      return report('already active; preferences updated');
    case 'kept-out':
      return report(`${r.was} here, ${KEPT_OUT_HINT}`);
    default:
      return report('bounced here; no confirmation sent to an address that bounces (--active --reactivate to take it back)');
  }
}

/** The line (or, with json, the JSON object) the CLI prints. */
export async function addSubscriber(app: App, email: string, o: AddOptions): Promise<string> {
  checkFollows(o); // before anyone is added
  const r = await addSubscriberReport(app, email, o);
  if (givesInterests(o) && r.action !== 'kept-out') {
    r.interests = storeInterests(app, app.subscribers.findByEmail(r.email)!.id, o);
    r.message += `; ${interestsLine(r.interests)}`;
  }
  return o.json ? JSON.stringify(r, null, 2) : r.message;
}

const interestsLine = (i: Interests) =>
  i.keywords.length + i.follows.length + i.authors.length === 0
    ? 'no interests'
    : `interests: ${[i.keywords.length ? `keywords ${i.keywords.join(', ')}` : '', i.follows.length ? `follows ${i.follows.join(', ')}` : '', i.authors.length ? `authors ${i.authors.join(', ')}` : ''].filter(Boolean).join('; ')}`;

export interface SetOptions extends InterestOptions {
  topics?: string;
  cadence?: string;
  weekday?: string;
  clearFeedback?: boolean;
  json?: boolean;
}

/**
 * `subscribers set`: changes a known subscriber's topics, cadence, weekday and interests (only the options
 * given); never their status or consent.
 */
export function setSubscriber(app: App, email: string, o: SetOptions): string {
  const check = checkAddress(email);
  const s = check.ok ? app.subscribers.findByEmail(check.email) : null;
  if (!s) throw new PaperboyError('NOT_FOUND', `no subscriber ${JSON.stringify(email)}`);
  const known = app.topics().topics;
  if (o.topics !== undefined || o.cadence !== undefined || o.weekday !== undefined) {
    app.subscribers.setPreferences(s.id, {
      topics: o.topics === undefined ? s.topics : normalizeTopics(parseTopicList(o.topics, known), known),
      cadence: o.cadence === undefined ? s.cadence : parseCadence(o.cadence),
      weekday: o.weekday === undefined ? s.weekday : parseWeekday(o.weekday),
    });
  }
  const repo = interestsRepo(app.db);
  const interests = givesInterests(o) ? storeInterests(app, s.id, o) : repo.get(s.id);
  if (o.clearFeedback) repo.clearFeedback(s.id);
  const after = app.subscribers.get(s.id)!;
  const feedback = repo.feedback(s.id).length;
  if (o.json) return JSON.stringify({ email: after.email, status: after.status, topics: after.topics, cadence: after.cadence, weekday: WEEKDAYS[after.weekday], interests, feedback }, null, 2);
  return `${after.email}: ${after.topics?.join(',') ?? 'all topics'}, ${after.cadence}; ${interestsLine(interests)}; ${feedback} feedback signals`;
}

/** With json, a JSON object instead of the line. */
export function removeSubscriber(app: App, email: string, opts: { purge?: boolean; json?: boolean } = {}): string {
  const { purge = false, json = false } = opts;
  const check = checkAddress(email);
  const s = check.ok ? app.subscribers.findByEmail(check.email) : null;
  if (!s) throw new PaperboyError('NOT_FOUND', `no subscriber ${JSON.stringify(email)}`);
  let action: 'deleted' | 'unsubscribed' | 'unchanged';
  if (purge) {
    app.subscribers.remove(s.id);
    action = 'deleted';
  } else action = app.subscribers.unsubscribe(s.id, app.now().toISOString()) ? 'unsubscribed' : 'unchanged';
  const status = action === 'deleted' ? null : app.subscribers.status(s.id);
  if (json) return JSON.stringify({ email: s.email, action, status }, null, 2);
  if (action === 'deleted') return `${s.email}: deleted with its history`;
  return action === 'unsubscribed' ? `${s.email}: unsubscribed` : `${s.email}: already ${status}`;
}

export interface SubscriberListing {
  email: string;
  status: SubscriberStatus;
  topics: string[] | null;
  cadence: Cadence;
  weekday: string;
  createdAt: string;
  confirmedAt: string | null;
  /** What the subscriber's links, Message-IDs and mailto unsubscribe subjects show (for handling those by hand). */
  publicId: string;
}

export function listSubscribers(app: App, status?: string): SubscriberListing[] {
  if (status !== undefined && !SUBSCRIBER_STATUSES.includes(status as SubscriberStatus)) throw new PaperboyError('BAD_INPUT', `status must be one of ${SUBSCRIBER_STATUSES.join(', ')}`);
  return app.subscribers.list(status as SubscriberStatus | undefined).map((s) => ({
    email: s.email,
    status: s.status,
    topics: s.topics,
    cadence: s.cadence,
    weekday: WEEKDAYS[s.weekday]!,
    createdAt: s.createdAt,
    confirmedAt: s.confirmedAt,
    publicId: s.publicId,
  }));
}

export function formatSubscribers(list: SubscriberListing[]): string {
  if (list.length === 0) return 'no subscribers';
  const lines = list.map((s) => `${s.status.padEnd(12)} ${s.cadence === 'weekly' ? `weekly/${s.weekday.slice(0, 3)}` : 'daily     '}  ${s.email}  ${s.topics?.join(',') ?? 'all topics'}`);
  return [...lines, `${list.length} subscribers`].join('\n');
}

export function importSubscribers(app: App, csv: string, opts: ImportOptions = {}): Promise<ImportReport> {
  return importCsv({ ...subscribeDeps(app), transaction: (fn) => app.db.transaction(fn)() }, csv, opts);
}

export function formatImport(r: ImportReport): string {
  const lines = [
    `${r.rows} rows: ${r.added} added, ${r.updated} updated, ${r.unchanged} already active (preferences updated), ${r.keptOut.length} kept out, ${r.errors.length} rejected`,
    r.active ? 'imported as active (opt-in skipped with --active: you vouch for these addresses)' : `${r.confirmationsSent} confirmation emails sent; addresses stay pending until confirmed`,
  ];
  if (r.reactivated) lines.push(`${r.reactivated} taken back with --reactivate after they had unsubscribed or bounced here`);
  for (const k of r.keptOut.slice(0, 50)) lines.push(`  line ${k.line}: ${k.email}: ${k.status} here, ${KEPT_OUT_HINT}`);
  if (r.keptOut.length > 50) lines.push(`  … and ${r.keptOut.length - 50} more kept out`);
  for (const e of r.errors.slice(0, 50)) lines.push(`  line ${e.line}: ${e.reason}`);
  if (r.errors.length > 50) lines.push(`  … and ${r.errors.length - 50} more`);
  return lines.join('\n');
}

/** `email,topics,cadence,weekday,status` of active and pending subscribers; import reads it back. */
export function exportSubscribers(app: App): string {
  const rows = app.subscribers
    .list()
    .filter((s: StoredSubscriber) => s.status === 'active' || s.status === 'pending')
    .map((s) => [s.email, s.topics?.join(';') ?? '', s.cadence, WEEKDAYS[s.weekday]!, s.status]);
  return stringify(rows, { header: true, columns: ['email', 'topics', 'cadence', 'weekday', 'status'] });
}

export const readInput = (file: string) => (file === '-' ? readFileSync(0, 'utf8') : readFileSync(file, 'utf8'));
export const writeOutput = (file: string | undefined, text: string) => (file && file !== '-' ? writeFileSync(file, text) : process.stdout.write(text));
