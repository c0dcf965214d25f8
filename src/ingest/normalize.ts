// Text hygiene for everything that comes from a seed: control characters out, whitespace folded, stable keys.
import { createHash } from 'node:crypto';

// Characters that break a line (Unicode's mandatory breaks: CR, VT, FF, NEL, LS, PS, plus the C0 separators
// FS/GS/RS that Python's splitlines honours): whitespace between words, so they become a space, never nothing.
const LINE_BREAK = /[\u000B-\u000D\u001C-\u001E\u0085\u2028\u2029]/g;
// The other C0/C1 controls (tab and newline are whitespace), bidi overrides/isolates and BOMs inside text:
// none belongs in a title, and bidi controls can disguise what a reader sees.
const CONTROL = /[\u0000-\u0008\u000E-\u001B\u001F\u007F-\u0084\u0086-\u009F\u200E\u200F\u202A-\u202E\u2066-\u2069\uFEFF\uFFF9-\uFFFB]/g;

/** One line of clean text: controls stripped, line breaks and any run of whitespace folded to one space. */
export function cleanText(s: string): string {
  // Lone surrogates (JSON can carry "\ud800") are not text: toWellFormed turns them into U+FFFD, then dropped.
  return s.toWellFormed().replace(LINE_BREAK, ' ').replace(CONTROL, '').replace(/\uFFFD/g, '').replace(/\s+/g, ' ').trim();
}

/**
 * The normalized title used for identity: case, whitespace, punctuation, accents and LaTeX markup folded,
 * so `H$_2$O`, `H2O` and `h_{2}o` are one title.
 */
export function titleKey(title: string): string {
  return title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '') // combining accents
    .replace(/\\[a-zA-Z]+\s*/g, ' ') // LaTeX commands: \mathcal, \textbf …
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The id of a paper without an arXiv id: stable as long as its normalized title is. */
export function titleId(key: string): string {
  return 't-' + createHash('sha256').update(key).digest('hex').slice(0, 16);
}

// New-style ids (2410.17243, optional version) and old-style (hep-th/9901001, cs.LG/0101001).
const ARXIV_NEW = /^(?:arxiv:)?(\d{4}\.\d{4,5})(?:v\d+)?$/i;
const ARXIV_OLD = /^(?:arxiv:)?([a-z-]+(?:\.[A-Z]{2})?\/\d{7})(?:v\d+)?$/i;

/** A canonical arXiv id without version, or null when the value is not one. */
export function arxivId(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const v = value.trim();
  const m = ARXIV_NEW.exec(v) ?? ARXIV_OLD.exec(v);
  return m?.[1] ?? null;
}

/**
 * An arXiv id from the ways people and pages refer to a paper: the id (with or without `arXiv:` and a
 * version), or an arxiv.org abs/pdf link or a huggingface.co / hf.co papers link (absolute or relative).
 */
export function arxivIdFromRef(ref: string): string | null {
  const link = /(?:arxiv\.org\/(?:abs|pdf)|(?:huggingface|hf)\.co\/papers|^\/papers)\/([^?#\s]+?)(?:\.pdf)?\/?(?:[?#]\S*)?$/i.exec(ref.trim());
  return arxivId(link?.[1] ?? ref);
}

/** A finite non-negative integer or null. */
export function count(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.floor(value) : null;
}

/** An ISO timestamp from a listing, or null if it does not parse. */
export function isoDate(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const t = Date.parse(value);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

/** An http(s) URL from a listing, or undefined: nothing else may become a link. */
export function httpUrl(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    const u = new URL(value.trim());
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.toString() : undefined;
  } catch {
    return undefined;
  }
}
