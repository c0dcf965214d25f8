// A real SMTP server (smtp-server from npm) on 127.0.0.1, port 0, collecting messages; faults on request.
import { SMTPServer, type SMTPServerAddress, type SMTPServerSession } from 'smtp-server';

export interface Received {
  from: string;
  to: string[];
  raw: string;
}

export interface SmtpOptions {
  /** Return a reply code to refuse a recipient (e.g. 451 or 550), or null to accept. */
  onRcpt?: (address: string, n: number) => number | null;
  /** Return 'drop' to cut the connection before the message is accepted, a code to refuse it, or null. */
  onData?: (n: number) => 'drop' | number | null;
}

export interface TestSmtp {
  port: number;
  url: string;
  messages: Received[];
  /** Server errors other than a client's reset connection. */
  errors: Error[];
  close(): Promise<void>;
}

const fail = (code: number) => Object.assign(new Error(code >= 500 ? 'mailbox unavailable' : 'try again later'), { responseCode: code });

export async function startSmtp(opts: SmtpOptions = {}): Promise<TestSmtp> {
  const messages: Received[] = [];
  const errors: Error[] = [];
  let rcpts = 0;
  let datas = 0;
  const server: SMTPServer = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    size: 10 * 1024 * 1024,
    onRcptTo(address: SMTPServerAddress, _s: SMTPServerSession, cb: (err?: Error | null) => void) {
      const code = opts.onRcpt?.(address.address, ++rcpts) ?? null;
      cb(code ? fail(code) : null);
    },
    onData(stream, session, cb) {
      const verdict = opts.onData?.(++datas) ?? null;
      if (verdict === 'drop') {
        // Cut the connection mid-DATA: the client sees a dropped connection, the message is not accepted.
        for (const c of (server as unknown as { connections: Set<{ id: string; _socket: { destroy(): void } }> }).connections) {
          if (c.id === session.id) c._socket.destroy();
        }
        stream.resume();
        return;
      }
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (typeof verdict === 'number') return cb(fail(verdict));
        messages.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
        cb(null);
      });
    },
  });
  // A client that dies mid-session (the crash tests SIGKILL the sender) resets its socket; smtp-server
  // re-emits that as 'error', which with no listener would be an uncaught exception in the test runner.
  server.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'ECONNRESET' && err.code !== 'EPIPE') errors.push(err);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as { port: number }).port;
  return { port, url: `smtp://127.0.0.1:${port}`, messages, errors, close: () => new Promise((r) => server.close(() => r())) };
}

/** Messages per recipient address. */
export function perRecipient(messages: Received[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const msg of messages) for (const to of msg.to) m.set(to, (m.get(to) ?? 0) + 1);
  return m;
}
