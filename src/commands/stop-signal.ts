// SIGTERM/SIGINT for the commands that deliver (cron killed, `systemctl stop`, a CI job cancelled, Ctrl-C).
/**
 * Runs `fn` with an AbortSignal that fires on the first SIGTERM or SIGINT: delivery then stops taking new
 * rows, lets the messages in flight finish and be recorded, and returns its report, instead of the process
 * dying mid-transaction. The handlers are removed afterwards.
 */
export async function withStopSignal<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const abort = new AbortController();
  const onSignal = () => {
    process.stderr.write('paperboy: stopping after the messages in flight (signal received)\n');
    abort.abort();
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  try {
    return await fn(abort.signal);
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  }
}
