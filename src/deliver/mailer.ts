// The mail edge: a pooled SMTP transport when SMTP_URL is set, else the outbox folder of .eml files.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import nodemailer from 'nodemailer';
import type { Config } from '../config.ts';
import { createSigner } from './dkim.ts';

/** A complete message: the raw RFC 5322 text is built by deliver/message.ts. */
export interface Outgoing {
  /** Envelope sender and recipient (bare addresses). */
  from: string;
  to: string;
  raw: string;
  /** Where the outbox puts it, relative to the outbox folder, e.g. `2026-11-24/17.eml`. */
  outboxName: string;
}

export type SendOutcome =
  | { ok: true; response: string }
  /** permanent: a 5xx reply, retrying will not help; otherwise a temporary failure worth a retry. */
  | { ok: false; permanent: boolean; response: string };

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
  return { ...mailer, send: async (m) => mailer.send({ ...m, raw: await sign(m.raw) }) };
}

/** Writes each message atomically (temp file + rename): a crash never leaves half a message. */
export function outboxMailer(outboxDir: string): Mailer {
  const root = resolve(outboxDir);
  return {
    kind: 'outbox',
    target: root,
    async send(message) {
      const path = resolve(root, message.outboxName);
      if (!path.startsWith(root + sep)) return { ok: false, permanent: true, response: `bad outbox name ${message.outboxName}` };
      mkdirSync(dirname(path), { recursive: true });
      const tmp = `${path}.${process.pid}.tmp`;
      writeFileSync(tmp, message.raw);
      renameSync(tmp, path);
      return { ok: true, response: `250 written to ${path}` };
    },
    async close() {},
  };
}

function smtpMailer(config: Config): Mailer {
  const smtp = config.smtp!;
  const url = new URL(smtp.url);
  const transport = nodemailer.createTransport({
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
        const info = await transport.sendMail({ envelope: { from: message.from, to: [message.to] }, raw: message.raw });
        return { ok: true, response: String(info.response ?? '250 ok') };
      } catch (err) {
        return smtpFailure(err);
      }
    },
    async close() {
      transport.close();
    },
  };
}

/** Maps a nodemailer error to an outcome: 5xx is permanent; 4xx, drops and timeouts are temporary. */
export function smtpFailure(err: unknown): SendOutcome {
  const e = err as { responseCode?: number; response?: string; code?: string; message?: string };
  const code = typeof e.responseCode === 'number' ? e.responseCode : null;
  const response = (e.response ?? `${e.code ?? 'ERROR'}: ${e.message ?? String(err)}`).replace(/\s+/g, ' ').trim().slice(0, 500);
  return { ok: false, permanent: code !== null && code >= 500 && code < 600, response };
}

/** The outbox path for a digest: one folder per edition, one file per subscriber. */
export const digestOutboxName = (editionId: string, subscriberId: number) => join(editionId, `${subscriberId}.eml`);
