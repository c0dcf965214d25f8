// Per-recipient placeholders: a rendered digest is split on tokens once, then joined per recipient.

export interface Recipient {
  unsubscribeUrl: string;
  preferencesUrl: string;
  email: string;
  /**
   * "View in browser": the reader's own digest page (/my/<token>). Absent where there is no reader (a preview):
   * then the digest's web page (the edition's page, or the archive for a week), RenderedDigest.viewUrl.
   */
  viewUrl?: string;
  /** "Picked for you", already rendered for this reader (render/picks.ts); empty for readers without interests. */
  picksHtml?: string;
  picksText?: string;
}

export type RecipientField = keyof Recipient;

/**
 * The tokens templates write where recipient data goes. Plain ASCII with no character that HTML,
 * MJML or Handlebars would touch, so they come out of the MJML compile unchanged.
 */
export const TOKENS: Record<RecipientField, string> = {
  unsubscribeUrl: '%%PB_UNSUBSCRIBE%%',
  preferencesUrl: '%%PB_PREFERENCES%%',
  email: '%%PB_EMAIL%%',
  viewUrl: '%%PB_VIEW%%',
  picksHtml: '%%PB_PICKS_HTML%%',
  picksText: '%%PB_PICKS_TEXT%%',
};

const FIELD_BY_TOKEN = new Map(Object.entries(TOKENS).map(([field, token]) => [token, field as RecipientField]));
const TOKEN_RE = /%%PB_(?:UNSUBSCRIBE|PREFERENCES|EMAIL|VIEW|PICKS_HTML|PICKS_TEXT)%%/g;

/**
 * Seed and user text could contain a token on purpose; a zero-width space breaks it so only the
 * tokens our templates wrote are ever filled. Applied to every string of a view before rendering.
 */
export function neutralizeTokens(text: string): string {
  return text.includes('%%PB_') ? text.replace(/%%PB_/g, '%%PB\u200B_') : text;
}

/** Applies neutralizeTokens to every string in a plain data tree (views are JSON-like). */
export function neutralizeDeep<T>(value: T): T {
  // Nearly always nothing to do; one native scan avoids rebuilding the whole tree.
  if (!JSON.stringify(value).includes('%%PB_')) return value;
  return neutralizeWalk(value);
}

function neutralizeWalk<T>(value: T): T {
  if (typeof value === 'string') return neutralizeTokens(value) as T;
  if (Array.isArray(value)) return value.map((v) => neutralizeWalk(v)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, neutralizeWalk(v)])) as T;
  }
  return value;
}

/** A document cut at its placeholders: `parts.length === fields.length + 1`. */
export interface Fillable {
  parts: string[];
  fields: RecipientField[];
}

export function split(doc: string): Fillable {
  const parts: string[] = [];
  const fields: RecipientField[] = [];
  let last = 0;
  for (const m of doc.matchAll(TOKEN_RE)) {
    parts.push(doc.slice(last, m.index));
    fields.push(FIELD_BY_TOKEN.get(m[0])!);
    last = m.index + m[0].length;
  }
  parts.push(doc.slice(last));
  return { parts, fields };
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);

/**
 * Joins the parts with the recipient's values; `escape` is applied to each value (HTML: escapeHtml) but the picks,
 * rendered already. `viewUrl`: the link "View in browser" opens when the recipient has no page of their own.
 */
export function fill(doc: Fillable, recipient: Recipient, viewUrl: string, escape: (s: string) => string = (s) => s): string {
  const values: Record<RecipientField, string> = {
    unsubscribeUrl: escape(recipient.unsubscribeUrl),
    preferencesUrl: escape(recipient.preferencesUrl),
    email: escape(recipient.email),
    viewUrl: escape(recipient.viewUrl ?? viewUrl),
    picksHtml: recipient.picksHtml ?? '',
    picksText: recipient.picksText ?? '',
  };
  let out = doc.parts[0]!;
  for (let i = 0; i < doc.fields.length; i++) out += values[doc.fields[i]!] + doc.parts[i + 1]!;
  return out;
}
