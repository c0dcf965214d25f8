// Seed byte decoding: accepted encodings, lenient reading of broken bytes, and every rejection class with its one-line reason.
import { describe, expect, it } from 'vitest';
import { decodeSeed, decodeSeedWithNote, MAX_SEED_BYTES } from '../../src/ingest/decode.ts';

const utf16 = (s: string, be: boolean) => {
  const out = new Uint8Array(2 + s.length * 2);
  out.set(be ? [0xfe, 0xff] : [0xff, 0xfe]);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out[2 + i * 2] = be ? c >> 8 : c & 0xff;
    out[3 + i * 2] = be ? c & 0xff : c >> 8;
  }
  return out;
};
const reason = (bytes: Uint8Array) => {
  try {
    decodeSeed(bytes);
  } catch (err) {
    return (err as Error).message;
  }
  return 'accepted';
};

describe('decodeSeed', () => {
  it('accepts UTF-8 with and without BOM, UTF-16 LE/BE with BOM, and folds CRLF/CR to LF', () => {
    expect(decodeSeed(new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('Tïtle\r\nAbs\rX')]))).toBe('Tïtle\nAbs\nX');
    expect(decodeSeed(utf16('Title\r\nAbstract', false))).toBe('Title\nAbstract');
    expect(decodeSeed(utf16('Title\nAbstract ∑', true))).toBe('Title\nAbstract ∑');
    // Saved without a BOM (some Windows tools): told apart from binary by where its NULs are.
    expect(decodeSeed(utf16('Daily Papers\r\nA Title\r\nIts abstract.', false).subarray(2))).toBe('Daily Papers\nA Title\nIts abstract.');
    expect(decodeSeed(utf16('Daily Papers\nA Title', true).subarray(2))).toBe('Daily Papers\nA Title');
  });

  it('rejects empty, whitespace-only, binary and oversize input with one line each', () => {
    expect(reason(new Uint8Array())).toBe('empty file');
    expect(reason(new TextEncoder().encode(' \n\t\n'))).toBe('empty file (only whitespace)');
    expect(reason(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]))).toBe('binary file (contains NUL bytes)');
    const big = { length: MAX_SEED_BYTES + 1 } as Uint8Array;
    expect(reason(big)).toMatch(/^file too large/);
    for (const r of [reason(new Uint8Array([0x89, 0])), reason(new Uint8Array())]) expect(r).not.toContain('\n');
  });

  it('reads broken bytes leniently instead of refusing the file, and says where the first one is', () => {
    // Some real UTF-8 (é) and one stray byte: UTF-8 with the byte as U+FFFD.
    expect(decodeSeedWithNote(new Uint8Array([0xc3, 0xa9, 0x0a, 0x54, 0x69, 0xff, 0x0a]))).toEqual({
      text: 'é\nTi\uFFFD\n',
      note: '1 byte not valid UTF-8 (first at line 2, byte offset 5) read as U+FFFD; a paper whose title holds one is skipped',
    });
    // No UTF-8 character at all: Windows-1252, including its printable 0x80–0x9F (Node's decoder maps those to controls).
    expect(decodeSeedWithNote(new Uint8Array([0x54, 0x69, 0x74, 0x6c, 0xe9, 0x0d, 0x0a, 0x93, 0x80, 0x94, 0x96]))).toEqual({
      text: 'Titlé\n“€”–',
      note: 'not UTF-8: 5 bytes above ASCII (first at line 1, byte offset 4) and no UTF-8 character, so read as Windows-1252 (Latin-1)',
    });
    // Overlong forms and encoded surrogates are not UTF-8 either (the WHATWG decoder's rules).
    // (Six real é first: a file with more bad bytes than UTF-8 characters is read as Latin-1, see the next test.)
    const e6 = Array.from({ length: 6 }, () => [0xc3, 0xa9]).flat();
    expect(decodeSeedWithNote(new Uint8Array([...e6, 0xc0, 0xaf, 0xed, 0xa0, 0x80])).note).toMatch(/^5 bytes not valid UTF-8 \(first at line 1, byte offset 12\)/);
    expect(decodeSeedWithNote(new Uint8Array([0xff, 0xfe, 0x41, 0x00, 0x00, 0xd8]))).toEqual({
      text: 'A\uFFFD',
      note: '1 character not valid UTF-16LE (first at line 1, byte offset 4) read as U+FFFD; a paper whose title holds one is skipped',
    });
    expect(decodeSeedWithNote(new TextEncoder().encode('plain ✓')).note).toBeNull();
  });
});
