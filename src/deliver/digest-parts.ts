// A date's digests rendered once, in the run that publishes the edition, and kept in the store: a send then builds
// its messages from them, with no MJML and no render child. Keyed by a fingerprint of what the render read, so a
// changed edition, topics.yaml, base URL, code or email template makes them stale and the sender renders itself.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { App } from '../app.ts';
import { weekdayOf } from '../clock.ts';
import { codePrint, templatesPrint } from '../code-print.ts';
import type { Edition } from '../domain.ts';
import { editionsFor } from '../edition/covered.ts';
import { selectionOfKey } from '../edition/digest.ts';
import type { RenderedDigest } from '../render/email.ts';
import { deliveriesRepo } from '../store/deliveries.ts';
import { digestPartsRepo } from '../store/digest-parts.ts';
import { buildMimeTemplate, type MimeTemplate } from './message.ts';
import { MAX_TEMPLATES, renderSelection } from './template-cache.ts';

/** What is kept of a render: everything buildMimeTemplate reads. The headers (From, Date) are made at send time. */
export type StoredDigest = Pick<RenderedDigest, 'subject' | 'selectionKey' | 'viewUrl' | 'html' | 'text'>;

/** The cadences' editions of a delivery date (edition/covered.ts), as the sender and the run both read them. */
export interface DateEditions {
  daily: Edition[];
  weekly: Edition[];
}

/** Raised when what a digest is rendered from changes in a way the fingerprint below would not see. */
const VERSION = 'digest-parts 1';

/**
 * Everything a date's rendered digests depend on but the selection: the editions they cover (papers, their
 * classifications and feed times), topics.yaml's bytes (not the compiled topics: a sender checking its parts
 * compiles nothing), the base URL, the running code and the email templates. Null when topics.yaml is unreadable.
 */
export function partsFingerprint(app: Pick<App, 'config'>, date: string, editions: DateEditions): string | null {
  let topicsFile: Buffer;
  try {
    topicsFile = readFileSync(app.config.topicsPath);
  } catch {
    return null;
  }
  return createHash('sha256')
    .update(`${VERSION}\0${date}\0${app.config.baseUrl}\0`)
    .update(JSON.stringify(editions))
    .update(topicsFile)
    .update(codePrint())
    .update(templatesPrint('email'))
    .digest('hex');
}

export interface PreparedParts {
  /** Selections rendered now. */
  rendered: number;
  /** Selections whose stored parts were still fresh. */
  kept: number;
}

/**
 * The run's render stage for delivery: the selections due on `date` (most readers first, at most MAX_TEMPLATES)
 * rendered and stored, unless fresh parts are stored already. Every other date's parts are dropped.
 */
export async function prepareDigestParts(app: App, date: string): Promise<PreparedParts> {
  const editions = { daily: editionsFor(app.editions, date, 'daily'), weekly: editionsFor(app.editions, date, 'weekly') };
  const keys = deliveriesRepo(app.db).dueSelections({ daily: editions.daily.length > 0, weekly: editions.weekly.length > 0, weekday: weekdayOf(date) }, MAX_TEMPLATES);
  if (keys.length === 0) return { rendered: 0, kept: 0 };
  const print = partsFingerprint(app, date, editions);
  if (print === null) return { rendered: 0, kept: 0 };
  const repo = digestPartsRepo(app.db);
  const fresh = repo.get(date, print);
  if (keys.every((k) => fresh.has(k))) return { rendered: 0, kept: keys.length };
  const topics = app.topics().topics;
  // The store then holds exactly this date's due selections: the fresh ones as they were, the rest rendered now.
  const entries: [string, string | null][] = [];
  let rendered = 0;
  for (const key of keys) {
    if (fresh.has(key)) {
      entries.push([key, fresh.get(key)!]);
      continue;
    }
    const selection = selectionOfKey(key);
    const r = await renderSelection(app, editions[selection.cadence], selection, topics, { skipEmpty: true, date });
    entries.push([key, r ? JSON.stringify(stored(r.rendered)) : null]);
    rendered++;
  }
  repo.put(date, print, entries, app.now().toISOString());
  return { rendered, kept: keys.length - rendered };
}

const stored = (r: RenderedDigest): StoredDigest => ({ subject: r.subject, selectionKey: r.selectionKey, viewUrl: r.viewUrl, html: r.html, text: r.text });

/** The date's stored digests still fresh (JSON by selection key; null: no email for it). Empty when none is. */
export function storedParts(app: Pick<App, 'config' | 'db'>, date: string, editions: DateEditions): Map<string, string | null> {
  const repo = digestPartsRepo(app.db);
  if (!repo.hasAny(date)) return new Map();
  const print = partsFingerprint(app, date, editions);
  return print === null ? new Map() : repo.get(date, print);
}

/** Those of `keys` stored, as MIME templates: From and Date as of now, as a render in the sender makes them. */
export function templatesOf(app: Pick<App, 'config' | 'now'>, parts: Map<string, string | null>, keys: string[]): Map<string, MimeTemplate | null> {
  const out = new Map<string, MimeTemplate | null>();
  for (const key of keys) {
    const json = parts.get(key);
    if (json === undefined) continue;
    out.set(key, json === null ? null : buildMimeTemplate(JSON.parse(json) as StoredDigest, { from: app.config.from, baseUrl: app.config.baseUrl, date: app.now() }));
  }
  return out;
}
