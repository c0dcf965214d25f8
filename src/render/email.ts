// Email rendering: MJML+Handlebars templates compiled once, one MJML compile per selection, string fills per recipient.
import { readdirSync, readFileSync } from 'node:fs';
import Handlebars from 'handlebars';
import mjml2html from 'mjml';
import type { Cadence, Digest, TopicDef } from '../domain.ts';
import { cardCount, selectionKey, shrinkDigest } from '../edition/digest.ts';
import { digestView, type DigestContext, type DigestView } from './email-view.ts';
import { escapeHtml, fill, split, TOKENS, type Fillable, type Recipient } from './recipient.ts';
import { renderConfirmText, renderDigestText, type ConfirmTextView } from './text.ts';

export { archiveUrlFor, digestSubject, type DigestContext } from './email-view.ts';
export type { Recipient } from './recipient.ts';

const TEMPLATES = new URL('../../templates/email/', import.meta.url);

// fonts: {} drops MJML's default Google Fonts links; the templates use the system font stack only.
export const MJML_OPTIONS = { validationLevel: 'strict', fonts: {}, keepComments: false } as const;

interface Templates {
  digest: Handlebars.TemplateDelegate;
  confirm: Handlebars.TemplateDelegate;
  /** The card partial alone, to measure what a card costs in bytes. */
  card: Handlebars.TemplateDelegate;
}

let templates: Templates | null = null;

/** Reads and compiles the templates on first use; an own Handlebars instance keeps partials private. */
function load(): Templates {
  if (templates !== null) return templates;
  const hbs = Handlebars.create();
  const partials = new URL('partials/', TEMPLATES);
  for (const file of readdirSync(partials).filter((f) => f.endsWith('.mjml'))) {
    hbs.registerPartial(file.slice(0, -'.mjml'.length), readFileSync(new URL(file, partials), 'utf8'));
  }
  // strict: a field the view lacks is a template bug and should fail loudly, not render empty.
  const compile = (name: string) => hbs.compile(readFileSync(new URL(name, TEMPLATES), 'utf8'), { strict: true });
  const card = hbs.compile(readFileSync(new URL('paper-card.mjml', partials), 'utf8'), { strict: true });
  templates = { digest: compile('digest.mjml'), confirm: compile('confirm.mjml'), card };
  return templates;
}

/** One MJML compile's result, still holding the recipient placeholders; shared by a selection's subscribers. */
export interface RenderedDigest {
  subject: string;
  selectionKey: string;
  html: Fillable;
  text: Fillable;
  /** Size of the HTML before filling, in bytes (Gmail clips past ~102 KB). */
  htmlBytes: number;
  /** The digest as rendered: cut to fewer cards than asked when the bytes demanded it. */
  digest: Digest;
  /** Its web page (the edition's, or the archive for a week): "View in browser" for a recipient without a page of their own. */
  viewUrl: string;
}

/**
 * The most HTML a digest may have before filling. Gmail clips at about 102 KB; the issue asks for 90 KB
 * and a recipient's links and address add well under 2 KB.
 */
export const MAX_HTML_BYTES = 88_000;

// Invisible padding after the preheader: without it clients fill the preview line with the body's first words.
const PREHEADER_PAD = '&zwnj;&nbsp;'.repeat(60);

function digestSource(view: DigestView): string {
  return load().digest({ ...view, tokens: TOKENS, preheaderPad: PREHEADER_PAD });
}

/** The digest as MJML source (Handlebars step only); exposed for the bench's bare baseline. */
export function digestMjml(digest: Digest, ctx: DigestContext): string {
  return digestSource(digestView(digest, ctx));
}

export async function compileMjml(source: string): Promise<string> {
  const { html, errors } = await mjml2html(source, MJML_OPTIONS);
  if (errors.length > 0) throw new Error(`MJML: ${errors.map((e) => e.formattedMessage).join('; ')}`);
  return dropIndentation(html);
}

/**
 * MJML indents its output; dropping leading indentation keeps a newline (so inline spacing is unchanged)
 * and saves bytes towards Gmail's clipping limit.
 */
export const dropIndentation = (html: string): string => html.replace(/\n[ \t]+/g, '\n');

const averageCardBytes = (view: DigestView) => {
  const cards = view.sections.flatMap((s) => s.cards);
  return cards.reduce((n, c) => n + Buffer.byteLength(load().card(c), 'utf8'), 0) / Math.max(1, cards.length);
};

/**
 * One MJML compile, and more only when the HTML passes `maxHtmlBytes` (long titles, many topics): then
 * about as many cards as the overshoot holds are dropped (an average card measured from the view), with
 * a little slack so that a second retry is rare, and the digest is compiled again.
 */
export async function renderDigestHtml(digest: Digest, ctx: DigestContext, opts: { maxHtmlBytes?: number } = {}): Promise<RenderedDigest> {
  const limit = opts.maxHtmlBytes ?? MAX_HTML_BYTES;
  let cut = digest;
  let view = digestView(cut, ctx);
  // The subject names the edition's top paper, whatever the byte cut leaves out.
  const fixed = { ...ctx, subject: view.subject };
  let html = await compileMjml(digestSource(view));
  for (let bytes = Buffer.byteLength(html, 'utf8'); bytes > limit && cardCount(cut) > 0; bytes = Buffer.byteLength(html, 'utf8')) {
    const drop = Math.max(1, Math.ceil((bytes - limit * 0.98) / averageCardBytes(view)));
    cut = shrinkDigest(cut, cardCount(cut) - drop);
    view = digestView(cut, fixed);
    html = await compileMjml(digestSource(view));
  }
  return {
    subject: view.subject,
    selectionKey: selectionKey(digest.selection),
    html: split(html),
    text: split(renderDigestText(view)),
    htmlBytes: Buffer.byteLength(html, 'utf8'),
    digest: cut,
    viewUrl: view.archiveUrl,
  };
}

/** Per recipient: string joins only, no MJML and no Handlebars. Values are HTML-escaped in the HTML part. */
export function fillRecipient(rendered: RenderedDigest, recipient: Recipient): { html: string; text: string } {
  return {
    html: fill(rendered.html, recipient, rendered.viewUrl, escapeHtml),
    text: fill(rendered.text, recipient, rendered.viewUrl, (s) => s.replace(/[\r\n]+/g, ' ')),
  };
}

export interface ConfirmInput {
  confirmUrl: string;
  email: string;
  /** The chosen topics; null means all topics. */
  topics: TopicDef[] | null;
  cadence: Cadence;
  baseUrl: string;
  listName?: string;
  /** How long the confirm link works; the token service decides, 72 by default. */
  hours?: number;
}

// The per-request parts of a confirmation go into the MJML as placeholders, so MJML compiles once per
// list name, cadence, expiry and base URL (a handful per process), not per request: sign-up answers stay fast
// and take the same time whether or not a confirmation follows.
const CONFIRM_SLOTS = { email: '%%PBC_EMAIL%%', topicsLabel: '%%PBC_TOPICS%%', confirmUrl: '%%PBC_CONFIRM%%' } as const;
const confirmShapes = new Map<string, Promise<string[]>>();

export async function renderConfirmEmail(input: ConfirmInput): Promise<{ subject: string; html: string; text: string }> {
  const listName = input.listName ?? 'paperboy';
  const subject = `Confirm your ${listName} subscription`;
  const view: ConfirmTextView = {
    listName,
    cadence: input.cadence,
    email: input.email,
    topicsLabel: input.topics === null ? 'all topics' : input.topics.map((t) => t.name).join(', ') || 'none chosen yet',
    confirmUrl: input.confirmUrl,
    hours: input.hours ?? 72,
    baseUrl: input.baseUrl,
  };
  const key = JSON.stringify([listName, input.cadence, view.hours, input.baseUrl]);
  let shape = confirmShapes.get(key);
  if (shape === undefined) {
    const preheader = `One click to start your ${listName} ${input.cadence} digest. The link works for ${view.hours} hours.`;
    // Odd indexes of the split are the placeholders; values are filled in one pass and never re-scanned.
    shape = compileMjml(load().confirm({ ...view, ...CONFIRM_SLOTS, subject, preheader, preheaderPad: PREHEADER_PAD })).then((html) => html.split(/(%%PBC_(?:EMAIL|TOPICS|CONFIRM)%%)/));
    confirmShapes.set(key, shape);
    shape.catch(() => confirmShapes.delete(key)); // a failed compile is tried again next time
  }
  const values: Record<string, string> = { [CONFIRM_SLOTS.email]: escapeHtml(view.email), [CONFIRM_SLOTS.topicsLabel]: escapeHtml(view.topicsLabel), [CONFIRM_SLOTS.confirmUrl]: escapeHtml(view.confirmUrl) };
  const html = (await shape).map((part, i) => (i % 2 === 1 ? values[part]! : part)).join('');
  return { subject, html, text: renderConfirmText(view) };
}
