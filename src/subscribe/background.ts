// Work that runs after the response (confirmation mail), tracked so errors are logged and shutdown can wait for it.

export class BackgroundTasks {
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly log: (line: string) => void) {}

  /**
   * Starts `task` on a later turn of the event loop, after the current response is written: the answer to
   * a subscribe request then takes as long whether or not an email follows. A failure is logged, never thrown.
   */
  run(label: string, task: () => Promise<unknown>): void {
    const p: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve))
      .then(task)
      .then(
        () => undefined,
        (err: unknown) => this.log(`${label} failed: ${err instanceof Error ? err.message : String(err)}`),
      )
      .finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
  }

  /** Settles when nothing is running (including tasks started meanwhile); server close and tests wait on it. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }
}
