// One-off messages (confirmations, previews): nodemailer's MailComposer builds the raw RFC 5322 text.
import MailComposer from 'nodemailer/lib/mail-composer';

export interface SimpleMessage {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Full Message-ID including angle brackets, e.g. `<confirm.17.abc@example.org>`. */
  messageId: string;
  date: Date;
  headers?: Record<string, string>;
}

/** multipart/alternative with the text part first, quoted-printable, CRLF line ends (no line over 998 octets). */
export async function composeMessage(m: SimpleMessage): Promise<string> {
  const composer = new MailComposer({
    from: m.from,
    to: m.to,
    subject: m.subject,
    text: m.text,
    html: m.html,
    messageId: m.messageId,
    date: m.date,
    headers: m.headers,
    textEncoding: 'quoted-printable',
    newline: '\r\n',
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  const buf = await composer.compile().build();
  return buf.toString('utf8');
}

/** The bare address inside `Name <addr>` (or the value itself), for envelopes and Message-ID domains. */
export function bareAddress(from: string): string {
  const m = /<([^<>]+)>\s*$/.exec(from);
  return (m ? m[1]! : from).trim();
}

export const domainOf = (address: string) => bareAddress(address).split('@').pop()!.toLowerCase();
