// Runs a built server until SIGTERM/SIGINT, then closes it (and whatever else the caller stops) gracefully.
import type { FastifyInstance } from 'fastify';
import { configError } from '../errors.ts';

export interface Running {
  url: string;
  /** Settles after a signal (or stop()) once everything is closed. */
  closed: Promise<void>;
  stop(): Promise<void>;
}

export async function startServer(server: FastifyInstance, port: number, host = '0.0.0.0', onStop: () => Promise<void> = async () => {}): Promise<Running> {
  const url = await server.listen({ port, host }).catch((err: NodeJS.ErrnoException) => {
    // The address is a setting (PORT, --host): one line and exit 78, not a stack trace.
    if (err.code === 'EADDRINUSE' || err.code === 'EACCES' || err.code === 'EADDRNOTAVAIL') {
      throw configError(`cannot listen on ${host}:${port}: ${err.code === 'EADDRINUSE' ? 'the port is in use' : err.code} (set PORT or --port)`);
    }
    throw err;
  });
  let markClosed!: () => void;
  const closed = new Promise<void>((r) => (markClosed = r));
  let stopping: Promise<void> | null = null;
  const stop = () =>
    (stopping ??= (async () => {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      await onStop(); // e.g. the scheduler: finish or safely stop the current delivery first
      await server.close();
      markClosed();
    })());
  const onSignal = () => void stop();
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  return { url, closed, stop };
}
