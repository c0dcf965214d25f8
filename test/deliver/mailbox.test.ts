// The From header of digests: a display name outside ASCII or with specials still reaches readers intact.
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { mailbox } from '../../src/deliver/message.ts';

describe('mailbox (the From header value)', () => {
  it.each([
    ['paperboy <paperboy@localhost>', 'paperboy <paperboy@localhost>', 'paperboy'],
    ['"Paper Boy" <news@papers.example.org>', 'Paper Boy <news@papers.example.org>', 'Paper Boy'],
    ['news@papers.example.org', 'news@papers.example.org', ''],
    ['Pâperboy Nëws <news@papers.example.org>', '=?UTF-8?Q?P=C3=A2perboy_N=C3=ABws?= <news@papers.example.org>', 'Pâperboy Nëws'],
    ['Papers, Daily Inc. <news@papers.example.org>', '"Papers, Daily Inc." <news@papers.example.org>', 'Papers, Daily Inc.'],
  ])('%s → %s', async (from, header, name) => {
    expect(mailbox(from)).toBe(header);
    // ASCII only on the wire, and a real parser reads back the name and the address.
    expect(header).toMatch(/^[\x20-\x7e]+$/);
    const parsed = await simpleParser(`From: ${header}\r\nSubject: x\r\n\r\nbody\r\n`);
    expect(parsed.from?.value[0]).toMatchObject({ name, address: from.includes('<') ? from.slice(from.indexOf('<') + 1, -1) : from });
  });
});
