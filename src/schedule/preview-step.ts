// Writes a digest preview (.html, .txt, .eml) for a selection, so a person can look before anyone receives it.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { App } from '../app.ts';
import { addDays } from '../clock.ts';
import type { Edition, Selection } from '../domain.ts';
import { PaperboyError } from '../errors.ts';
import { buildDigest } from '../edition/digest.ts';
import { bareAddress, composeMessage, domainOf } from '../deliver/compose.ts';
import { fillRecipient, renderDigestHtml } from '../render/email.ts';

export interface PreviewReport {
  html: string;
  text: string;
  eml: string;
  subject: string;
  papers: number;
  htmlBytes: number;
}

export interface PreviewOptions {
  date: string;
  selection: Selection;
  outDir?: string;
}

/** The editions a digest for `date` covers: that day's, or the seven days ending with it for weekly. */
export function editionsFor(app: App, date: string, cadence: Selection['cadence']): Edition[] {
  if (cadence === 'weekly') return app.editions.publishedBetween(addDays(date, -6), date);
  const e = app.editions.get(date);
  return e && e.status === 'published' ? [e] : [];
}

export async function writePreview(app: App, edition: Edition): Promise<PreviewReport> {
  return preview(app, { date: edition.id, selection: { topics: null, cadence: 'daily' } });
}

export async function preview(app: App, opts: PreviewOptions): Promise<PreviewReport> {
  const editions = editionsFor(app, opts.date, opts.selection.cadence);
  if (editions.length === 0) {
    throw new PaperboyError('NOT_FOUND', `no published edition for ${opts.date}${opts.selection.cadence === 'weekly' ? ' or the six days before' : ''}; run \`paperboy run\` first`);
  }
  const topics = app.topics().topics;
  const digest = buildDigest(editions, opts.selection, topics);
  const base = app.config.baseUrl;
  const rendered = await renderDigestHtml(digest, { baseUrl: base, archiveUrl: `${base}/archive/${opts.date}.html`, topics });
  const to = 'preview@example.invalid';
  const filled = fillRecipient(rendered, { email: to, unsubscribeUrl: `${base}/unsubscribe/preview`, preferencesUrl: `${base}/preferences/preview` });
  const outDir = opts.outDir ?? join(app.config.dataDir, 'preview');
  mkdirSync(outDir, { recursive: true });
  const name = `${opts.date}${opts.selection.cadence === 'weekly' ? '-weekly' : ''}${opts.selection.topics ? '-' + opts.selection.topics.join('+') : ''}`;
  const files = { html: join(outDir, `${name}.html`), text: join(outDir, `${name}.txt`), eml: join(outDir, `${name}.eml`) };
  const eml = await composeMessage({
    from: app.config.from,
    to,
    subject: rendered.subject,
    text: filled.text,
    html: filled.html,
    messageId: `<preview.${name}@${domainOf(bareAddress(app.config.from))}>`,
    date: app.now(),
    headers: { 'List-Unsubscribe': `<${base}/unsubscribe/preview>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
  });
  writeFileSync(files.html, filled.html);
  writeFileSync(files.text, filled.text);
  writeFileSync(files.eml, eml);
  return { ...files, subject: rendered.subject, papers: digest.paperCount, htmlBytes: rendered.htmlBytes };
}
