// The SMTP mailer hands a digest (bytes and its Message-ID) to nodemailer's pool as built: the server gets exactly the
// bytes it gets through sendMail, the path every other message takes.
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.ts';
import { createMailer, type Mailer } from '../../src/deliver/mailer.ts';
import { startSmtp, type TestSmtp } from '../helpers/smtp.ts';
import { tmpProject } from '../helpers/tmp.ts';

let smtp: TestSmtp | null = null;
let mailer: Mailer | null = null;
afterEach(async () => {
  await mailer?.close();
  await smtp?.close();
  smtp = mailer = null;
});

describe('the SMTP mailer', () => {
  it('sends a built message byte for byte as sendMail does (dot-stuffing, UTF-8, a missing last line break)', async () => {
    smtp = await startSmtp();
    mailer = createMailer(parseConfig({ ...tmpProject().env, SMTP_URL: smtp.url }));
    const head = 'From: news@papers.example.org\r\nTo: reader@example.org\r\nMessage-ID: <2026-11-24.x.paperboy@papers.example.org>\r\nSubject: Grüße\r\n\r\n';
    for (const text of [`${head}.a line that starts with a dot\r\nzwei, ü\r\n`, `${head}no line break at the end`]) {
      const m = { from: 'news@papers.example.org', to: 'reader@example.org', outboxName: 'x.eml' };
      expect(await mailer.send({ ...m, raw: Buffer.from(text), messageId: '<2026-11-24.x.paperboy@papers.example.org>' })).toMatchObject({ ok: true });
      expect(await mailer.send({ ...m, raw: text })).toMatchObject({ ok: true });
      const [built, composed] = smtp.messages.splice(0);
      expect(built!.raw).toBe(composed!.raw);
      expect(built!.raw).toBe(text.endsWith('\r\n') ? text : `${text}\r\n`);
      expect(built!.to).toEqual(['reader@example.org']);
    }
  });

  it('reports a refused recipient from the built path as sendMail would (a bounce, with the reply)', async () => {
    smtp = await startSmtp({ onRcpt: () => 550 });
    mailer = createMailer(parseConfig({ ...tmpProject().env, SMTP_URL: smtp.url }));
    const out = await mailer.send({ from: 'news@papers.example.org', to: 'gone@example.org', raw: Buffer.from('Subject: x\r\n\r\nbody\r\n'), messageId: '<y@papers.example.org>', outboxName: 'y.eml' });
    expect(out).toMatchObject({ ok: false, kind: 'bounce' });
  });
});
