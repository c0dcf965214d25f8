// Seed bytes → text: UTF-8 (with or without BOM), UTF-16 (with a BOM, or mostly-ASCII without), Windows-1252; refuses binary.
import { PaperboyError } from '../errors.ts';
import { lineOf, scanUtf8 } from '../utf8-scan.ts';

/** Larger files are refused outright: a listing that big is a mistake, not a day of papers. */
export const MAX_SEED_BYTES = 128 * 1024 * 1024;

const reject = (message: string) => new PaperboyError('SEED_REJECTED', message);

/** A seed file's text, and a one-line note when bytes had to be read leniently (where, and how). */
export interface DecodedSeed {
  text: string;
  note: string | null;
}

/** Decodes a seed file's bytes (see decodeSeedWithNote); the text alone. */
export function decodeSeed(bytes: Uint8Array): string {
  return decodeSeedWithNote(bytes).text;
}

/**
 * Decodes a seed file's bytes; throws SEED_REJECTED with a one-line reason only when the file is no text at
 * all (empty, binary, too large). A few broken bytes never cost the whole file: they become U+FFFD (a paper
 * whose title holds one is skipped, see paper.ts) and the note names the first one by line and byte offset.
 * A file with no UTF-8 multi-byte character but bytes above ASCII was saved as Latin-1/Windows-1252 and is
 * read as that. Line ends become \n.
 */
export function decodeSeedWithNote(bytes: Uint8Array): DecodedSeed {
  if (bytes.length === 0) throw reject('empty file');
  if (bytes.length > MAX_SEED_BYTES) {
    throw reject(`file too large: ${bytes.length} bytes (limit ${MAX_SEED_BYTES})`);
  }
  let decoded: DecodedSeed;
  if (bytes[0] === 0xff && bytes[1] === 0xfe) decoded = decodeUtf16('utf-16le', bytes, 2);
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) decoded = decodeUtf16('utf-16be', bytes, 2);
  else if (bytes.subarray(0, 64 * 1024).includes(0)) {
    // NUL bytes never occur in text listings, except as the high bytes of UTF-16 saved without a BOM.
    const unmarked = utf16WithoutBom(bytes);
    if (unmarked === null) throw reject('binary file (contains NUL bytes)');
    decoded = decodeUtf16(unmarked, bytes, 0);
  } else decoded = decodeUtf8(bytes);
  let text = decoded.text;
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.includes('\0')) throw reject('binary file (contains NUL characters)');
  if (text.trim() === '') throw reject('empty file (only whitespace)');
  return { text: text.replace(/\r\n?/g, '\n'), note: decoded.note };
}

/**
 * UTF-16 text saved without a BOM: mostly ASCII, so nearly every other byte is NUL, on the odd offsets
 * (little-endian) or the even ones (big-endian). Binary files have NULs wherever they like.
 */
function utf16WithoutBom(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  const n = Math.min(bytes.length, 64 * 1024) & ~1;
  if (n < 2) return null;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenNul++;
    if (bytes[i + 1] === 0) oddNul++;
  }
  const pairs = n / 2;
  // A few NULs on the other side are characters such as U+3000 or U+4E00 (their low byte is zero).
  if (oddNul > pairs * 0.9 && evenNul < pairs * 0.05) return 'utf-16le';
  if (evenNul > pairs * 0.9 && oddNul < pairs * 0.05) return 'utf-16be';
  return null;
}

// ignoreBOM: we strip the BOM ourselves so every path treats it the same.
const decoder = (encoding: string, fatal: boolean) => new TextDecoder(encoding, { fatal, ignoreBOM: true });

function decodeUtf8(bytes: Uint8Array): DecodedSeed {
  try {
    return { text: decoder('utf-8', true).decode(bytes), note: null };
  } catch {
    const scan = scanUtf8(bytes);
    const where = `first at ${lineOf(bytes, scan.firstBad)}, byte offset ${scan.firstBad}`;
    if (scan.multiByte < scan.bad) {
      // More bytes that are not UTF-8 than UTF-8 characters: an editor saved it as Latin-1, and the few sequences that
      // read as UTF-8 are Latin-1 pairs by chance ("É’" is C9 92). Read as UTF-8 instead, every other accent in it
      // would become U+FFFD and each title holding one a lost paper.
      const utf8 = scan.multiByte === 0 ? 'no UTF-8 character' : `only ${plural(scan.multiByte, 'sequence')} that read as UTF-8`;
      return { text: decodeWindows1252(bytes), note: `not UTF-8: ${plural(scan.bad, 'byte')} above ASCII (${where}) and ${utf8}, so read as Windows-1252 (Latin-1)` };
    }
    return { text: decoder('utf-8', false).decode(bytes), note: `${plural(scan.bad, 'byte')} not valid UTF-8 (${where}) read as U+FFFD; a paper whose title holds one is skipped` };
  }
}

function decodeUtf16(encoding: 'utf-16le' | 'utf-16be', bytes: Uint8Array, start: number): DecodedSeed {
  const body = bytes.subarray(start);
  try {
    return { text: decoder(encoding, true).decode(body), note: null };
  } catch {
    // Lone surrogates (or an odd last byte): each becomes U+FFFD; a UTF-16 code unit is two bytes.
    const text = decoder(encoding, false).decode(body);
    const bad = (text.match(/\uFFFD/g) ?? []).length;
    const at = text.indexOf('\uFFFD');
    const line = text.slice(0, at).split(/\r\n?|\n/).length;
    return { text, note: `${plural(bad, 'character')} not valid ${encoding.toUpperCase()} (first at line ${line}, byte offset ${start + at * 2}) read as U+FFFD; a paper whose title holds one is skipped` };
  }
}

// Windows-1252's printable 0x80–0x9F (quotes, dashes, €); the rest of the bytes are Latin-1's code points.
// By hand: Node's TextDecoder treats the windows-1252 label as Latin-1, turning “ and – into C1 controls.
const CP1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ';

function decodeWindows1252(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 8192) {
    const chunk = bytes.subarray(i, i + 8192);
    out += String.fromCharCode(...Array.from(chunk, (b) => (b >= 0x80 && b <= 0x9f ? CP1252_HIGH.charCodeAt(b - 0x80) : b)));
  }
  return out;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
