// The bytes the send loop hands the mailer are exactly the UTF-8 of the message text (preview, outbox) for the same recipient.
import { describe, expect, it } from 'vitest';
import type { Selection } from '../../src/domain.ts';
import { buildDigest } from '../../src/edition/digest.ts';
import { buildMimeTemplate, fillMessage, fillMessageBytes, type MessageRecipient } from '../../src/deliver/message.ts';
import { renderDigestHtml } from '../../src/render/email.ts';
import { CTX, TOPICS, featureEdition } from '../render/factory.ts';

const selection: Selection = { topics: ['vision', 'llm', 'safety'], cadence: 'daily' };

describe('fillMessageBytes', () => {
  it('equals Buffer.from(fillMessage) for plain and non-ASCII recipients, with and without picks', async () => {
    const rendered = await renderDigestHtml(buildDigest([featureEdition()], selection, TOPICS), CTX);
    const t = buildMimeTemplate(rendered, { from: 'Pâperboy, Inc. <news@papers.example.org>', baseUrl: 'https://papers.example.org', date: new Date('2026-11-24T07:00:00Z') });
    const base: MessageRecipient = {
      subscriberId: 7,
      publicId: '0123456789abcdef0123',
      editionId: '2026-11-24',
      email: 'reader@example.org',
      unsubscribeUrl: 'https://papers.example.org/unsubscribe/0123456789abcdef0123.abc',
      preferencesUrl: 'https://papers.example.org/preferences/0123456789abcdef0123.def',
    };
    const recipients: MessageRecipient[] = [
      base,
      { ...base, email: 'jürgen@bücher.example', picksHtml: '<p>Für dich: “Ünïcode” & more</p>\n<p>two</p>', picksText: 'Für dich:\n- “Ünïcode”' },
    ];
    for (const r of recipients) {
      const bytes = fillMessageBytes(t, r);
      expect(bytes.equals(Buffer.from(fillMessage(t, r), 'utf8'))).toBe(true);
      expect(bytes.toString('utf8')).toContain('Content-Transfer-Encoding: quoted-printable');
    }
  });
});
