// A real SMTP server (smtp-server from npm) on 127.0.0.1, port 0, collecting messages; faults on request.
import { SMTPServer, type SMTPServerAddress, type SMTPServerSession } from 'smtp-server';

export interface Received {
  from: string;
  to: string[];
  raw: string;
}

export interface SmtpOptions {
  /** Return a reply code to refuse a recipient (e.g. 451 or 550), or a whole reply (`550 relay not permitted`), or null to accept. */
  onRcpt?: (address: string, n: number) => number | string | null;
  /**
   * Return 'drop' to cut the connection before the message is accepted, a code to refuse it, 'hold' to keep
   * the client waiting for the reply (see `held`), or null.
   */
  onData?: (n: number) => 'drop' | 'hold' | number | null;
}

export interface TestSmtp {
  port: number;
  url: string;
  messages: Received[];
  /** Server errors other than a client's reset connection. */
  errors: Error[];
  /** Messages whose reply is held back ('hold'): each can be taken in with its `250` lost on the wire. */
  held: { to: string[]; acceptAndDrop(): void }[];
  close(): Promise<void>;
}

const fail = (reply: number | string) => {
  const code = typeof reply === 'number' ? reply : Number(reply.slice(0, 3));
  const text = typeof reply === 'string' ? reply.slice(4) : code >= 500 ? 'mailbox unavailable' : 'try again later';
  return Object.assign(new Error(text), { responseCode: code });
};

export async function startSmtp(opts: SmtpOptions = {}): Promise<TestSmtp> {
  const messages: Received[] = [];
  const errors: Error[] = [];
  const held: TestSmtp['held'] = [];
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
      // Cuts this client's connection: it sees a dropped connection, whatever the server did with the message.
      const drop = () => {
        for (const c of (server as unknown as { connections: Set<{ id: string; _socket: { destroy(): void } }> }).connections) {
          if (c.id === session.id) c._socket.destroy();
        }
      };
      if (verdict === 'drop') {
        drop();
        stream.resume();
        return;
      }
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (typeof verdict === 'number') return cb(fail(verdict));
        const message = { from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') };
        if (verdict === 'hold') {
          held.push({ to: message.to, acceptAndDrop: () => (messages.push(message), drop()) });
          return;
        }
        messages.push(message);
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
  return { port, url: `smtp://127.0.0.1:${port}`, messages, errors, held, close: () => new Promise((r) => server.close(() => r())) };
}

/** Messages per recipient address. */
export function perRecipient(messages: Received[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const msg of messages) for (const to of msg.to) m.set(to, (m.get(to) ?? 0) + 1);
  return m;
}
