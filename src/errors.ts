// Errors with a stable code; the CLI maps codes to exit codes and the server to HTTP status.

export type ErrorCode = 'SEED_REJECTED' | 'CONFIG' | 'DELIVERY' | 'NOT_FOUND' | 'BAD_INPUT' | 'LOCKED' | 'PAUSED' | 'STORE';

export class PaperboyError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'PaperboyError';
  }
}

export const configError = (message: string) => new PaperboyError('CONFIG', message);
export const badInput = (message: string) => new PaperboyError('BAD_INPUT', message);

/**
 * SQLite's own failures (better-sqlite3's SqliteError, whose `code` is SQLite's: SQLITE_CORRUPT, SQLITE_BUSY, …) as
 * one line with a stable code, or null for anything else. A damaged or busy store is the operator's to act on, not a
 * bug: no stack trace. Duck-typed, so this file (below every folder) loads no driver.
 */
export function storeError(err: unknown, path?: string): PaperboyError | null {
  const { name, code, message } = (err ?? {}) as { name?: unknown; code?: unknown; message?: unknown };
  if (name !== 'SqliteError' || typeof code !== 'string') return null;
  const store = path ? `the store ${path}` : 'the store';
  if (/^SQLITE_(BUSY|LOCKED)/.test(code)) return new PaperboyError('LOCKED', `${store} is busy: another process holds a lock on it; try again later`);
  if (/^SQLITE_(CORRUPT|NOTADB)/.test(code)) return new PaperboyError('STORE', `${store} is damaged (${String(message)}); restore it from a backup, or move it and its -wal file away to start an empty one`);
  if (/^SQLITE_(CANTOPEN|READONLY|FULL|IOERR|PERM|AUTH)/.test(code)) return new PaperboyError('STORE', `${store}: ${String(message)} (${code})`);
  return null;
}
