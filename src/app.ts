// Composition root: builds the store, repositories, topics and clock from a Config; nothing else wires things.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from './config.ts';
import { openDb, type Db } from './store/db.ts';
import { papersRepo, type PapersRepo } from './store/papers.ts';

export interface App {
  config: Config;
  db: Db;
  papers: PapersRepo;
  /** The clock: the only source of "now" for the core. Tests pass a fixed one. */
  now: () => Date;
  /** HMAC secret: PAPERBOY_SECRET, else one generated once into the data folder. */
  secret: string;
  close(): void;
}

export interface AppOptions {
  now?: () => Date;
}

export function createApp(config: Config, opts: AppOptions = {}): App {
  mkdirSync(config.dataDir, { recursive: true });
  const db = openDb(config.dbPath);
  return {
    config,
    db,
    papers: papersRepo(db),
    now: opts.now ?? (() => new Date()),
    secret: config.secret ?? dataDirSecret(config.dataDir),
    close: () => db.close(),
  };
}

/** Reads or creates `<data>/secret` (mode 600) so tokens in sent emails keep working across runs. */
function dataDirSecret(dataDir: string): string {
  const path = join(dataDir, 'secret');
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    const secret = randomBytes(32).toString('hex');
    try {
      // 'wx' fails if another process created it meanwhile; then theirs wins.
      writeFileSync(path, secret + '\n', { mode: 0o600, flag: 'wx' });
      return secret;
    } catch {
      return readFileSync(path, 'utf8').trim();
    }
  }
}
