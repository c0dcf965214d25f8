// A loopback SMTP server for the send bench, run as its own process: accepts everything, counts over IPC.
import { SMTPServer } from 'smtp-server';

// Per phase: messages, bytes and distinct recipients, so the bench can check each side delivered exactly its messages.
let count = 0;
let bytes = 0;
let rcpts = new Set<string>();
const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  size: 50 * 1024 * 1024,
  onData(stream, session, cb) {
    let n = 0;
    stream.on('data', (d: Buffer) => (n += d.length));
    stream.on('end', () => {
      count++;
      bytes += n;
      for (const r of session.envelope.rcptTo) rcpts.add(r.address);
      cb(null);
    });
  },
});
process.on('message', (m) => {
  if (m === 'reset') [count, bytes, rcpts] = [0, 0, new Set()];
  process.send!({ count, bytes, rcpts: rcpts.size });
});
process.on('disconnect', () => process.exit(0));
server.listen(0, '127.0.0.1', () => process.send!({ port: (server.server.address() as { port: number }).port }));
