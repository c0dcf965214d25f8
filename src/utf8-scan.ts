// Where bytes stop being UTF-8: counted byte by byte and placed by line, for the notes of lenient readers (seed files, topics.yaml).

/** "line N" of a byte offset, counting LF, CRLF and lone CR as line ends (as the text will after decoding). */
export function lineOf(bytes: Uint8Array, offset: number): string {
  let line = 1;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a || (bytes[i] === 0x0d && bytes[i + 1] !== 0x0a)) line++;
  }
  return `line ${line}`;
}

/** Counts UTF-8 multi-byte characters and bytes that are no part of one (the WHATWG decoder's rules, byte by byte). */
export function scanUtf8(bytes: Uint8Array): { multiByte: number; bad: number; firstBad: number } {
  let multiByte = 0;
  let bad = 0;
  let firstBad = -1;
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    const len = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    // The second byte's narrower ranges rule out overlong forms, surrogates and code points past U+10FFFF.
    const lo = b === 0xe0 ? 0xa0 : b === 0xf0 ? 0x90 : 0x80;
    const hi = b === 0xed ? 0x9f : b === 0xf4 ? 0x8f : 0xbf;
    let ok = len > 0 && i + len <= bytes.length && bytes[i + 1]! >= lo && bytes[i + 1]! <= hi;
    for (let k = 2; ok && k < len; k++) ok = (bytes[i + k]! & 0xc0) === 0x80;
    if (ok) {
      multiByte++;
      i += len;
    } else {
      bad++;
      if (firstBad < 0) firstBad = i;
      i++;
    }
  }
  return { multiByte, bad, firstBad };
}
