// Seed bytes → text: accepts UTF-8 (with or without BOM) and UTF-16 (with a BOM, or mostly-ASCII without), refuses binary and other encodings.
import { PaperboyError } from '../errors.ts';

/** Larger files are refused outright: a listing that big is a mistake, not a day of papers. */
export const MAX_SEED_BYTES = 128 * 1024 * 1024;

const reject = (message: string) => new PaperboyError('SEED_REJECTED', message);

/** Decodes a seed file's bytes; throws SEED_REJECTED with a one-line reason. Line ends become \n. */
export function decodeSeed(bytes: Uint8Array): string {
  if (bytes.length === 0) throw reject('empty file');
  if (bytes.length > MAX_SEED_BYTES) {
    throw reject(`file too large: ${bytes.length} bytes (limit ${MAX_SEED_BYTES})`);
  }
  let text: string;
  if (bytes[0] === 0xff && bytes[1] === 0xfe) text = decodeStrict('utf-16le', bytes.subarray(2));
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) text = decodeStrict('utf-16be', bytes.subarray(2));
  else if (bytes.subarray(0, 64 * 1024).includes(0)) {
    // NUL bytes never occur in text listings, except as the high bytes of UTF-16 saved without a BOM.
    const unmarked = utf16WithoutBom(bytes);
    if (unmarked === null) throw reject('binary file (contains NUL bytes)');
    text = decodeStrict(unmarked, bytes);
  } else text = decodeStrict('utf-8', bytes);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.includes('\0')) throw reject('binary file (contains NUL characters)');
  if (text.trim() === '') throw reject('empty file (only whitespace)');
  return text.replace(/\r\n?/g, '\n');
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

function decodeStrict(encoding: 'utf-8' | 'utf-16le' | 'utf-16be', bytes: Uint8Array): string {
  try {
    // ignoreBOM: we strip the BOM ourselves so every path treats it the same.
    return new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    const offset = firstInvalidUtf8(bytes);
    const where = encoding === 'utf-8' && offset >= 0 ? ` (first bad byte at offset ${offset})` : '';
    throw reject(`not valid ${encoding.toUpperCase()} text${where}`);
  }
}

/** Offset of the first byte that breaks UTF-8, for a reason an operator can act on (a hint, not a proof). */
function firstInvalidUtf8(bytes: Uint8Array): number {
  const lenient = new TextDecoder('utf-8').decode(bytes);
  const at = lenient.indexOf('\uFFFD');
  return at < 0 ? -1 : Buffer.byteLength(lenient.slice(0, at), 'utf8');
}
