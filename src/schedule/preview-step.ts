// Writes a digest preview (.html, .txt, .eml) for a selection, so a person can look before anyone receives it.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { App } from '../app.ts';
import type { Edition, Selection } from '../domain.ts';
import { editionsFor } from '../edition/covered.ts';
import { PaperboyError } from '../errors.ts';
import { fillMessage, type MessageRecipient } from '../deliver/message.ts';
import { renderSelection } from '../deliver/template-cache.ts';
import { fillRecipient } from '../render/email.ts';
import { removeDeadTemps, writeWhole } from '../whole-file.ts';

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

// Shaped like a signed link (`<public id>.<27 characters>`), so sizes match, but no id has that shape: clicking does nothing.
const FAKE_TOKEN = `${'PREVIEW'.padEnd(20, '_')}.${'PREVIEW'.padEnd(27, '_')}`;

/**
 * Nobody: subscriber ids start at 1, and the address is in a domain reserved to never exist. Nobody has a page of
 * their own either: "View in browser" is a placeholder of a reader's page link, like the other two (a preview shows
 * what a subscriber gets, link sizes included).
 */
function previewRecipient(app: App, date: string): MessageRecipient {
  const base = app.config.baseUrl;
  return { subscriberId: 0, publicId: 'preview', editionId: date, email: 'preview@example.invalid', unsubscribeUrl: `${base}/unsubscribe/${FAKE_TOKEN}`, preferencesUrl: `${base}/preferences/${FAKE_TOKEN}`, viewUrl: `${base}/my/${FAKE_TOKEN}` };
}

export async function writePreview(app: App, edition: Edition): Promise<PreviewReport> {
  return preview(app, { date: edition.id, selection: { topics: null, cadence: 'daily' } });
}

export async function preview(app: App, opts: PreviewOptions): Promise<PreviewReport> {
  const editions = editionsFor(app.editions, opts.date, opts.selection.cadence);
  if (editions.length === 0) {
    throw new PaperboyError('NOT_FOUND', `no published edition for ${opts.date}${opts.selection.cadence === 'weekly' ? ' or the six days before' : ''}; run \`paperboy run\` first`);
  }
  // Rendered and wrapped by the chain delivery uses, so the preview is what subscribers get.
  const { digest, rendered, template } = await renderSelection(app, editions, opts.selection, app.topics().topics, { date: opts.date });
  const recipient = previewRecipient(app, opts.date);
  const filled = fillRecipient(rendered, recipient);
  const eml = fillMessage(template, recipient);
  const outDir = opts.outDir ?? app.config.previewDir;
  mkdirSync(outDir, { recursive: true });
  removeDeadTemps(outDir);
  const name = `${opts.date}${opts.selection.cadence === 'weekly' ? '-weekly' : ''}${opts.selection.topics ? '-' + opts.selection.topics.join('+') : ''}`;
  const files = { html: join(outDir, `${name}.html`), text: join(outDir, `${name}.txt`), eml: join(outDir, `${name}.eml`) };
  // Whole files, the .eml last: a run killed meanwhile leaves whole files, and a missing .eml tells the next run to write them.
  writeWhole(files.html, filled.html);
  writeWhole(files.text, filled.text);
  writeWhole(files.eml, eml);
  return { ...files, subject: rendered.subject, papers: digest.paperCount, htmlBytes: rendered.htmlBytes };
}
