// Seed byte decoding: accepted encodings and every rejection class with its one-line reason.
import { describe, expect, it } from 'vitest';
import { decodeSeed, MAX_SEED_BYTES } from '../../src/ingest/decode.ts';

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

  it('rejects empty, whitespace-only, binary, non-UTF-8 and oversize input with one line each', () => {
    expect(reason(new Uint8Array())).toBe('empty file');
    expect(reason(new TextEncoder().encode(' \n\t\n'))).toBe('empty file (only whitespace)');
    expect(reason(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]))).toBe('binary file (contains NUL bytes)');
    expect(reason(new Uint8Array([0x54, 0x69, 0x74, 0x6c, 0xe9, 0x0a]))).toBe('not valid UTF-8 text (first bad byte at offset 4)');
    expect(reason(new Uint8Array([0xff, 0xfe, 0x00, 0xd8]))).toMatch(/^not valid UTF-16LE text/);
    const big = { length: MAX_SEED_BYTES + 1 } as Uint8Array;
    expect(reason(big)).toMatch(/^file too large/);
    for (const r of [reason(new Uint8Array([0xe9])), reason(new Uint8Array())]) expect(r).not.toContain('\n');
  });
});
