// Errors with a stable code; the CLI maps codes to exit codes and the server to HTTP status.

export type ErrorCode = 'SEED_REJECTED' | 'CONFIG' | 'DELIVERY' | 'NOT_FOUND' | 'BAD_INPUT' | 'LOCKED' | 'PAUSED';

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
