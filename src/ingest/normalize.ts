// Text hygiene for everything that comes from a seed: control characters out, whitespace folded, values checked.
// (A paper's identity — title keys, arXiv ids — is in ../paper-ids.ts, which the store shares.)

// Characters that break a line (Unicode's mandatory breaks: CR, VT, FF, NEL, LS, PS, plus the C0 separators
// FS/GS/RS that Python's splitlines honours): whitespace between words, so they become a space, never nothing.
const LINE_BREAK = /[\u000B-\u000D\u001C-\u001E\u0085\u2028\u2029]/g;
// The other C0/C1 controls (tab and newline are whitespace), bidi overrides/isolates, BOMs inside text and the
// BMP's noncharacters (U+FDD0–U+FDEF, U+FFFE, U+FFFF: never text; U+FFFE/U+FFFF are no XML character, and the
// email and preview carried them): none belongs in a title, and bidi controls can disguise what a reader sees.
const CONTROL = /[\u0000-\u0008\u000E-\u001B\u001F\u007F-\u0084\u0086-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069\uFDD0-\uFDEF\uFEFF\uFFF9-\uFFFB\uFFFE\uFFFF]/g;

/** One line of clean text: controls stripped, line breaks and any run of whitespace folded to one space. */
export function cleanText(s: string): string {
  // Lone surrogates (JSON can carry "\ud800") are not text: toWellFormed turns them into U+FFFD, then dropped.
  return s.toWellFormed().replace(LINE_BREAK, ' ').replace(CONTROL, '').replace(/\uFFFD/g, '').replace(/\s+/g, ' ').trim();
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

// What a terminal acts on (C0/C1 controls but tab, ESC sequences, DEL) or reorders (bidi controls).
const UNPRINTABLE = /[\u0000-\u0008\u000A-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/**
 * Text from a file or a parser's error (JSON.parse quotes the input) made safe to print in a report: controls
 * and bidi characters shown as \u escapes, so a seed file or a CSV cannot retitle or repaint the terminal.
 */
export function printable(s: string): string {
  return s.replace(UNPRINTABLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
