// The mail edge: a pooled SMTP transport when SMTP_URL is set, else the outbox folder of .eml files.
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import type { Transporter } from 'nodemailer';
import type { Config } from '../config.ts';
import { removeDeadTemps, writeWhole } from '../whole-file.ts';
import { createSigner } from './dkim.ts';

/** A complete message: the raw RFC 5322 text is built by deliver/message.ts. */
export interface Outgoing {
  /** Envelope sender and recipient (bare addresses). */
  from: string;
  to: string;
  /** The message's bytes, or its text (UTF-8). Digests come as bytes: nothing re-encodes them on the way out. */
  raw: string | Buffer;
  /**
   * The Message-ID header the raw message carries, when known: nodemailer then takes it instead of drawing a
   * random one of its own for every message (five random reads, which a send of ~50 KB digests measurably paid).
   */
  messageId?: string;
  /** Where the outbox puts it, relative to the outbox folder, e.g. `2026-11-24/17.eml`. */
  outboxName: string;
}

/** Why a message did not go; decides between retrying, failing, counting a bounce and pausing. */
export type FailureKind =
  /** 4xx, a dropped connection, a timeout: worth a retry. */
  | 'temporary'
  /** This recipient's mailbox is unknown or unusable (RCPT 550/551/553, 5.1.x, 5.2.x): a hard bounce. */
  | 'bounce'
  /** Another permanent refusal of this message (policy 5.7.x, content, size, our sender): failed, not a bounce. */
  | 'rejected'
  /** The server refuses us, not the recipient (login, greeting): nobody can be sent to until it is fixed. */
  | 'server';

export type SendOutcome =
  | { ok: true; response: string }
  | { ok: false; kind: FailureKind; response: string };

export interface Mailer {
  kind: 'smtp' | 'outbox';
  /** Where messages go, for reports (the outbox folder or the SMTP host, no credentials). */
  target: string;
  send(message: Outgoing): Promise<SendOutcome>;
  close(): Promise<void>;
}

export function createMailer(config: Config): Mailer {
  const mailer = config.smtp ? smtpMailer(config) : outboxMailer(config.outboxDir);
  if (!config.dkim) return mailer;
  // Signed here, at the edge, so digests, confirmations, SMTP and outbox files are all signed alike.
  const sign = createSigner(config.dkim);
  // Bytes again after signing, so a signed digest still goes to the pool as built (smtpMailer's sendBuilt).
  return { ...mailer, send: async (m) => mailer.send({ ...m, raw: Buffer.from(await sign(typeof m.raw === 'string' ? m.raw : m.raw.toString('utf8'))) }) };
}

/** Writes each message atomically (temp file + rename): a crash never leaves half a message. */
export function outboxMailer(outboxDir: string): Mailer {
  const root = resolve(outboxDir);
  const swept = new Set<string>();
  return {
    kind: 'outbox',
    target: root,
    async send(message) {
      const path = resolve(root, message.outboxName);
      if (!path.startsWith(root + sep)) return { ok: false, kind: 'rejected', response: `bad outbox name ${message.outboxName}` };
      mkdirSync(dirname(path), { recursive: true });
      if (!swept.has(dirname(path))) {
        removeDeadTemps(dirname(path));
        swept.add(dirname(path));
      }
      writeWhole(path, message.raw);
      return { ok: true, response: `250 written to ${path}` };
    },
    async close() {},
  };
}

function smtpMailer(config: Config): Mailer {
  const smtp = config.smtp!;
  const url = new URL(smtp.url);
  // nodemailer loads at the first message, not with every command that opens the app.
  let transport: Promise<Transporter> | null = null;
  const open = async () => (await import('nodemailer')).default.createTransport({
    pool: true,
    host: url.hostname,
    port: url.port ? Number(url.port) : url.protocol === 'smtps:' ? 465 : 587,
    secure: url.protocol === 'smtps:',
    auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
    maxConnections: smtp.poolConnections,
    maxMessages: smtp.maxMessages,
    ...(smtp.ratePerSecond > 0 ? { rateDelta: 1000, rateLimit: smtp.ratePerSecond } : {}),
    // Our ledger retries; nodemailer re-queueing a message after a dropped connection could send it twice.
    maxRequeues: 0,
    connectionTimeout: 30_000,
    greetingTimeout: 30_000,
    socketTimeout: 60_000,
  });
  return {
    kind: 'smtp',
    target: `${url.protocol}//${url.host}`,
    async send(message) {
      try {
        const t = await (transport ??= open());
        const pool = (t as unknown as { transporter?: Partial<PoolTransport> }).transporter;
        const info =
          Buffer.isBuffer(message.raw) && message.messageId && typeof pool?.send === 'function'
            ? await sendBuilt(pool as PoolTransport, message as Outgoing & { raw: Buffer; messageId: string })
            : await t.sendMail({ envelope: { from: message.from, to: [message.to] }, raw: message.raw, ...(message.messageId ? { messageId: message.messageId } : {}) });
        return { ok: true, response: String(info.response ?? '250 ok') };
      } catch (err) {
        return smtpFailure(err);
      }
    },
    async close() {
      (await transport?.catch(() => null))?.close();
    },
  };
}

/** nodemailer's SMTP pool as its transport API sees it: send(mail, callback), `mail` being what sendMail compiles. */
interface PoolTransport {
  send(mail: { data: Record<string, unknown>; message: BuiltMessage }, callback: (err: Error | null, info?: { response?: string }) => void): void;
}

/** The part of nodemailer's MimeNode its SMTP pool reads: the envelope, the Message-ID, and the bytes as a stream. */
interface BuiltMessage {
  getEnvelope(): { from: string; to: string[] };
  messageId(): string;
  getHeader(key: string): string | undefined;
  createReadStream(): Readable;
}

/**
 * A message whose bytes are complete (a digest) handed to nodemailer's pool as built, not through sendMail: sendMail
 * compiles a raw message into a MIME node and streams it through a pipeline of transforms that leave its bytes as
 * they are (our line ends are CRLF already, the last line ends in one), which cost a third of the pool's CPU per
 * ~50 KB digest. The pool still does everything else: connections, reuse, rate limit, errors, the SMTP dialogue.
 */
function sendBuilt(pool: PoolTransport, m: Outgoing & { raw: Buffer; messageId: string }): Promise<{ response?: string }> {
  // What the MIME node's last transform ensures: the data ends with a line break.
  const raw = m.raw.at(-1) === 0x0a ? m.raw : Buffer.concat([m.raw, Buffer.from(m.raw.at(-1) === 0x0d ? '\n' : '\r\n')]);
  const message: BuiltMessage = {
    getEnvelope: () => ({ from: m.from, to: [m.to] }),
    messageId: () => m.messageId,
    getHeader: (key) => (key.toLowerCase() === 'message-id' ? m.messageId : undefined),
    createReadStream: () => {
      const stream = new PassThrough();
      stream.end(raw);
      return stream;
    },
  };
  return new Promise((resolve, reject) => pool.send({ data: {}, message }, (err, info) => (err ? reject(err) : resolve(info ?? {}))));
}

/** Maps a nodemailer error to an outcome: see failureKind for what counts as what. */
export function smtpFailure(err: unknown): SendOutcome {
  const e = err as { responseCode?: number; response?: string; code?: string; command?: string; message?: string };
  const code = typeof e.responseCode === 'number' ? e.responseCode : null;
  const response = (e.response ?? `${e.code ?? 'ERROR'}: ${e.message ?? String(err)}`).replace(/\s+/g, ' ').trim().slice(0, 500);
  return { ok: false, kind: failureKind(code, e.code ?? null, e.command ?? null, response), response };
}

/** Login refused or required (RFC 4954): about our credentials, whatever stage reports it. */
const AUTH_CODES = new Set([530, 534, 535, 538]);
/** Session stages where a refusal is about us (our host, our TLS), not about any one recipient. */
const SESSION_STAGES = new Set(['CONN', 'EHLO', 'HELO', 'LHLO', 'STARTTLS']);

/**
 * Only a per-recipient mailbox failure is a bounce: a wrong password, a blocklisted IP or a server that
 * refuses everything must never mark real subscribers bounced (the pause streak guards the last case).
 */
export function failureKind(code: number | null, errCode: string | null, command: string | null, response: string): FailureKind {
  const stage = (command ?? '').toUpperCase();
  if (errCode === 'EAUTH' || stage.startsWith('AUTH') || (code !== null && AUTH_CODES.has(code))) return 'server';
  // No reply at all: a bad address or message refused before talking to the server, else a network fault.
  if (code === null) return errCode === 'EENVELOPE' || errCode === 'EMESSAGE' ? 'rejected' : 'temporary';
  if (code < 500 || code >= 600) return 'temporary';
  if (SESSION_STAGES.has(stage)) return 'server';
  // RFC 3463 enhanced code right after the reply code, e.g. `550 5.1.1 unknown user`.
  const enhanced = /^\d{3}[ -]5\.(\d{1,3})\.(\d{1,3})\b/.exec(response);
  if (enhanced) {
    const [, cls, detail] = enhanced;
    // 5.1.7 / 5.1.8 are about our sender address, not their mailbox.
    if (cls === '1') return detail === '7' || detail === '8' ? 'rejected' : 'bounce';
    return cls === '2' ? 'bounce' : 'rejected';
  }
  return stage === 'RCPT TO' && (code === 550 || code === 551 || code === 553) ? 'bounce' : 'rejected';
}

/** The outbox path for a digest: one folder per edition, one file per subscriber. */
export const digestOutboxName = (editionId: string, subscriberId: number) => join(editionId, `${subscriberId}.eml`);
