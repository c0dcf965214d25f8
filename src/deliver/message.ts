// Digest messages as raw MIME: built once per selection, then only the recipient's parts are filled in.
import { createHash } from 'node:crypto';
import addressparser from 'nodemailer/lib/addressparser';
import * as mimeFuncs from 'nodemailer/lib/mime-funcs';
import * as qp from 'nodemailer/lib/qp';
import { PaperboyError } from '../errors.ts';
import type { RenderedDigest } from '../render/email.ts';
import { escapeHtml, type Fillable, type Recipient, type RecipientField } from '../render/recipient.ts';
import { bareAddress, domainOf } from './compose.ts';

/** A message with its bodies pre-encoded: per recipient only short values are encoded and joined. */
export interface MimeTemplate {
  head: string;
  boundary: string;
  /** The From value parsed once: its bare address (the envelope sender), its domain (Message-IDs), the unsubscribe mailto. */
  envelopeFrom: string;
  domain: string;
  mailto: string;
  /** "View in browser" for a recipient without a page of their own (a preview): the digest's web page. */
  viewUrl: string;
  text: EncodedFillable;
  html: EncodedFillable;
  /** The static pieces again as bytes, encoded once per template: fillMessageBytes only copies them (textStart: the headers after the recipient's, then the text part's start). */
  bytes: { head: Buffer; textStart: Buffer; htmlStart: Buffer; end: Buffer; text: Buffer[]; html: Buffer[] };
}

interface EncodedFillable {
  /** Quoted-printable encoded static parts; each ends with a soft line break so a value can follow. */
  parts: string[];
  fields: RecipientField[];
}

export interface MessageContext {
  from: string;
  baseUrl: string;
  listName?: string;
  date: Date;
}

export interface MessageRecipient extends Recipient {
  subscriberId: number;
  /** The subscriber's opaque public id: what the Message-ID and the mailto unsubscribe subject show. */
  publicId: string;
  editionId: string;
}

const CRLF = '\r\n';

/** Header values never carry line breaks: a value with CR/LF would smuggle headers. */
function header(name: string, value: string): string {
  if (/[\r\n]/.test(value)) throw new PaperboyError('BAD_INPUT', `refusing a line break in the ${name} header`);
  return mimeFuncs.foldLines(`${name}: ${value}`, 76) + CRLF;
}

/**
 * A From value as a header may carry it: a non-ASCII display name as an RFC 2047 encoded word ("Pâperboy"),
 * one with specials (a comma, a dot) quoted, the address as it is.
 */
export function mailbox(from: string): string {
  const parsed = addressparser(from)[0] as { name?: string; address?: string } | undefined;
  if (!parsed?.address) return from;
  const name = parsed.name?.trim() ?? '';
  if (name === '') return parsed.address;
  const shown = /[^\x20-\x7e]/.test(name)
    ? mimeFuncs.encodeWords(name, 'Q', 52)
    : /[()<>[\]:;@\\,."]/.test(name)
      ? `"${name.replace(/["\\]/g, '\\$&')}"`
      : name;
  return `${shown} <${parsed.address}>`;
}

/** Wrapped at 75, not 76: every encoded piece may get the `=` of a soft break appended to its last line. */
const encodeQp = (s: string) => qp.wrap(qp.encode(s), 75);
const SOFT_BREAK = `=${CRLF}`;

function encodeFillable(doc: Fillable): EncodedFillable {
  return {
    // A soft break (=CRLF) after each static part keeps lines short whatever value is filled in next.
    // Line ends become CRLF here, once: bare LFs are not valid in a message, and SMTP clients would
    // otherwise rewrite every line of every message on the way out.
    parts: doc.parts.map((p, i) => {
      const enc = encodeQp(p.replace(/\r?\n/g, CRLF));
      return oneByte(i < doc.parts.length - 1 ? enc + SOFT_BREAK : enc);
    }),
    fields: doc.fields,
  };
}

/**
 * The same ASCII text, stored by V8 one byte per character. Strings cut from text that held non-ASCII
 * characters stay two-byte even when the part itself is ASCII, and every message joined from them is then
 * converted the slow way when nodemailer turns it into bytes: done once per template, not per recipient.
 */
const oneByte = (ascii: string): string => Buffer.from(ascii, 'latin1').toString('latin1');

/** Deterministic per (edition, subscriber), on the sender's domain: a resend is recognisably the same message. */
// Deterministic (a resend is the same message) without the sequential id, which would tell the list's size.
const messageId = (editionId: string, publicId: string, domain: string) => `<${editionId}.${publicId}.paperboy@${domain}>`;

/** The Message-ID a digest for this recipient carries (fillMessage's header). */
export const digestMessageId = (t: MimeTemplate, editionId: string, publicId: string) => messageId(editionId, publicId, t.domain);

export function buildMimeTemplate(rendered: Pick<RenderedDigest, 'subject' | 'selectionKey' | 'viewUrl' | 'html' | 'text'>, ctx: MessageContext): MimeTemplate {
  const listName = ctx.listName ?? 'paperboy';
  const envelopeFrom = bareAddress(ctx.from);
  const domain = domainOf(envelopeFrom);
  const boundary = `pb-${createHash('sha256').update(rendered.selectionKey).digest('hex').slice(0, 24)}`;
  const head =
    header('From', mailbox(ctx.from)) +
    header('Subject', mimeFuncs.encodeWords(rendered.subject, 'Q', 52)) +
    header('Date', ctx.date.toUTCString().replace('GMT', '+0000')) +
    header('MIME-Version', '1.0') +
    header('List-Id', `${listName} <${listName}.${domain}>`) +
    header('List-Archive', `<${ctx.baseUrl}/archive/>`) +
    header('Auto-Submitted', 'auto-generated') +
    header('Precedence', 'bulk');
  return withBytes({ head, boundary, envelopeFrom, domain, mailto: `mailto:${envelopeFrom}`, viewUrl: rendered.viewUrl, text: encodeFillable(rendered.text), html: encodeFillable(rendered.html) });
}

/** A template as it crosses a process boundary (render-child.ts): its strings only; withBytes makes the bytes again. */
export type TemplateData = Omit<MimeTemplate, 'bytes'> & { bytes?: undefined };

/** The template with its static pieces encoded as bytes, once: fillMessageBytes only copies them. */
export function withBytes(t: TemplateData): MimeTemplate {
  // Strings that came through JSON are stored one byte per character again (oneByte's reason).
  const text = { parts: t.text.parts.map(oneByte), fields: t.text.fields };
  const html = { parts: t.html.parts.map(oneByte), fields: t.html.fields };
  const bytes = {
    head: Buffer.from(t.head),
    textStart: Buffer.from(headersEnd(t.boundary) + partStart(t.boundary, 'plain', '')),
    htmlStart: Buffer.from(partStart(t.boundary, 'html', CRLF)),
    end: Buffer.from(`${CRLF}--${t.boundary}--${CRLF}`),
    text: text.parts.map((p) => Buffer.from(p, 'latin1')),
    html: html.parts.map((p) => Buffer.from(p, 'latin1')),
  };
  return { ...t, text, html, bytes };
}

/** The line that opens a body part (after the previous part's last line when `before` is a CRLF). */
const partStart = (boundary: string, subtype: 'plain' | 'html', before: string) =>
  `${before}--${boundary}${CRLF}Content-Type: text/${subtype}; charset=utf-8${CRLF}Content-Transfer-Encoding: quoted-printable${CRLF}${CRLF}`;

function fillEncoded(doc: EncodedFillable, values: Record<RecipientField, string>): string {
  let out = doc.parts[0]!;
  // A soft break after each value too: the next part's first line starts a line of its own, so no line
  // is a value plus a whole static line (RFC 2045: at most 76 characters).
  for (let i = 0; i < doc.fields.length; i++) out += encodeQp(values[doc.fields[i]!]) + SOFT_BREAK + doc.parts[i + 1]!;
  return out;
}

/** The same body as bytes: the template's encoded static parts copied, only the values encoded (fillEncoded's layout). */
function pushEncoded(out: Buffer[], doc: EncodedFillable, parts: Buffer[], values: Record<RecipientField, string>, encode: (v: string) => Buffer): void {
  out.push(parts[0]!);
  for (let i = 0; i < doc.fields.length; i++) out.push(encode(values[doc.fields[i]!]), parts[i + 1]!);
}

/** What differs per recipient: their headers and the values filled into each body. */
function recipientParts(t: MimeTemplate, r: MessageRecipient) {
  const to = bareAddress(r.email);
  const mailto = `${t.mailto}?subject=${encodeURIComponent(`unsubscribe ${r.publicId}`)}`;
  // The picks come rendered (and escaped) for this reader; empty for everyone else.
  const crlf = (v: string | undefined) => (v ? v.replace(/\r?\n/g, CRLF) : '');
  const picks = { picksHtml: crlf(r.picksHtml), picksText: crlf(r.picksText) };
  const view = r.viewUrl ?? t.viewUrl;
  const text = { unsubscribeUrl: r.unsubscribeUrl, preferencesUrl: r.preferencesUrl, email: r.email, viewUrl: view, ...picks };
  const html = { unsubscribeUrl: escapeHtml(r.unsubscribeUrl), preferencesUrl: escapeHtml(r.preferencesUrl), email: escapeHtml(r.email), viewUrl: escapeHtml(view), ...picks };
  // The recipient's headers; headersEnd follows them (the same for every recipient of the template).
  const headers = header('To', to) + header('Message-ID', messageId(r.editionId, r.publicId, t.domain)) + header('List-Unsubscribe', `<${r.unsubscribeUrl}>, <${mailto}>`);
  return { headers, text, html };
}

/** The headers after the recipient's own, and the blank line that ends them. */
const headersEnd = (boundary: string) => header('List-Unsubscribe-Post', 'List-Unsubscribe=One-Click') + header('Content-Type', `multipart/alternative; boundary="${boundary}"`) + CRLF;

/** The complete RFC 5322 message for one recipient: string joins and a few short encodings. */
export function fillMessage(t: MimeTemplate, r: MessageRecipient): string {
  const { headers, text, html } = recipientParts(t, r);
  return (
    t.head +
    headers +
    headersEnd(t.boundary) +
    partStart(t.boundary, 'plain', '') +
    fillEncoded(t.text, text) +
    partStart(t.boundary, 'html', CRLF) +
    fillEncoded(t.html, html) +
    `${CRLF}--${t.boundary}--${CRLF}`
  );
}

/**
 * fillMessage's bytes, for sending: the ~50 KB of static parts are copied from buffers encoded once per
 * template. Joining strings instead builds a rope that every send flattens and re-encodes to UTF-8 (a
 * large temporary string per message, and the garbage collection it causes), which the profile showed.
 */
export function fillMessageBytes(t: MimeTemplate, r: MessageRecipient): Buffer {
  const { headers, text, html } = recipientParts(t, r);
  // A value filled in more than once (a link in the header and the footer, in both parts) is encoded once.
  const seen = new Map<string, Buffer>();
  const encode = (v: string) => {
    let b = seen.get(v);
    if (b === undefined) seen.set(v, (b = Buffer.from(encodeQp(v) + SOFT_BREAK, 'latin1')));
    return b;
  };
  const out: Buffer[] = [t.bytes.head, Buffer.from(headers), t.bytes.textStart];
  pushEncoded(out, t.text, t.bytes.text, text, encode);
  out.push(t.bytes.htmlStart);
  pushEncoded(out, t.html, t.bytes.html, html, encode);
  out.push(t.bytes.end);
  return Buffer.concat(out);
}
