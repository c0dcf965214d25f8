// Email rendering: MJML+Handlebars templates compiled once, one MJML compile per selection, string fills per recipient.
import { readdirSync, readFileSync } from 'node:fs';
import Handlebars from 'handlebars';
import mjml2html from 'mjml';
import type { Cadence, Digest, TopicDef } from '../domain.ts';
import { selectionKey } from '../edition/digest.ts';
import { digestSubject, digestView, type DigestContext } from './email-view.ts';
import { escapeHtml, fill, split, TOKENS, type Fillable, type Recipient } from './recipient.ts';
import { renderConfirmText, renderDigestText, type ConfirmTextView } from './text.ts';

export { digestSubject, type DigestContext } from './email-view.ts';
export type { Recipient } from './recipient.ts';

const TEMPLATES = new URL('../../templates/email/', import.meta.url);

// fonts: {} drops MJML's default Google Fonts links; the templates use the system font stack only.
const MJML_OPTIONS = { validationLevel: 'strict', fonts: {}, keepComments: false } as const;

interface Templates {
  digest: Handlebars.TemplateDelegate;
  confirm: Handlebars.TemplateDelegate;
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
  templates = { digest: compile('digest.mjml'), confirm: compile('confirm.mjml') };
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
}

/** The digest as MJML source (Handlebars step only); exposed for the bench's bare baseline. */
export function digestMjml(digest: Digest, ctx: DigestContext): string {
  return load().digest({ ...digestView(digest, ctx), tokens: TOKENS });
}

export async function compileMjml(source: string): Promise<string> {
  const { html, errors } = await mjml2html(source, MJML_OPTIONS);
  if (errors.length > 0) throw new Error(`MJML: ${errors.map((e) => e.formattedMessage).join('; ')}`);
  // MJML indents its output; dropping leading indentation keeps a newline (so inline spacing is unchanged)
  // and saves bytes towards Gmail's clipping limit.
  return html.replace(/\n[ \t]+/g, '\n');
}

export async function renderDigestHtml(digest: Digest, ctx: DigestContext): Promise<RenderedDigest> {
  const view = digestView(digest, ctx);
  const html = await compileMjml(load().digest({ ...view, tokens: TOKENS }));
  return {
    subject: view.subject,
    selectionKey: selectionKey(digest.selection),
    html: split(html),
    text: split(renderDigestText(view)),
    htmlBytes: Buffer.byteLength(html, 'utf8'),
  };
}

/** Per recipient: string joins only, no MJML and no Handlebars. Values are HTML-escaped in the HTML part. */
export function fillRecipient(rendered: RenderedDigest, recipient: Recipient): { html: string; text: string } {
  return {
    html: fill(rendered.html, recipient, escapeHtml),
    text: fill(rendered.text, recipient, (s) => s.replace(/[\r\n]+/g, ' ')),
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
  const preheader = `One click to start your ${listName} ${input.cadence} digest. The link works for ${view.hours} hours.`;
  const html = await compileMjml(load().confirm({ ...view, subject, preheader }));
  return { subject, html, text: renderConfirmText(view) };
}
