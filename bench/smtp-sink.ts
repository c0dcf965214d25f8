// A loopback SMTP server for the send bench, run as its own process: accepts everything, prints its port.
import { SMTPServer } from 'smtp-server';

let count = 0;
const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  size: 50 * 1024 * 1024,
  onData(stream, _session, cb) {
    stream.on('data', () => {});
    stream.on('end', () => {
      count++;
      cb(null);
    });
  },
});
server.listen(0, '127.0.0.1', () => console.log(`PORT ${(server.server.address() as { port: number }).port}`));
process.on('SIGTERM', () => {
  console.error(`sink received ${count}`);
  process.exit(0);
});
