// Composition root: builds the store, repositories, topics and clock from a Config; nothing else wires things.
import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from './config.ts';
import { createMailer, type Mailer } from './deliver/mailer.ts';
import type { Classifier } from './edition/publish.ts';
import { classify } from './topics/classify.ts';
import { loadTopics } from './topics/load.ts';
import type { CompiledTopics } from './topics/rules.ts';
import { buildBackground, trendingKeywords } from './topics/trending.ts';
import { openDb, type Db } from './store/db.ts';
import { configError } from './errors.ts';
import { editionsRepo, type EditionsRepo } from './store/editions.ts';
import { subscribersRepo, type SubscribersRepo } from './store/subscribers.ts';
import { papersRepo, type PapersRepo } from './store/papers.ts';

export interface App {
  config: Config;
  db: Db;
  papers: PapersRepo;
  editions: EditionsRepo;
  subscribers: SubscribersRepo;
  /** Outbox or pooled SMTP, per config; created on first use so commands that send nothing open no sockets. */
  readonly mailer: Mailer;
  /** topics.yaml, compiled on first use (a broken file is a CONFIG error naming the topic and line). */
  topics(): CompiledTopics;
  /** The classifier publishing uses: topics.yaml rules plus trending keywords against the history. */
  classifier(): Classifier;
  /** The clock: the only source of "now" for the core. Tests pass a fixed one. */
  now: () => Date;
  /** HMAC keys: config.secrets (first signs, all verify: key rotation), else one generated into the data folder. */
  secrets: string[];
  close(): Promise<void>;
}

export interface AppOptions {
  now?: () => Date;
  /** Tests hand in a mailer; otherwise config decides (SMTP_URL or the outbox). */
  mailer?: Mailer;
}

export function createApp(config: Config, opts: AppOptions = {}): App {
  try {
    mkdirSync(config.dataDir, { recursive: true });
  } catch (err) {
    throw configError(`PAPERBOY_DATA_DIR: cannot create ${config.dataDir} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  // Before the store opens: a bad key file stops here with nothing left open.
  const secrets = config.secrets.length ? config.secrets : [dataDirSecret(config.dataDir)];
  const db = openDb(config.dbPath);
  let mailer: Mailer | null = opts.mailer ?? null;
  let topics: CompiledTopics | null = null;
  const getTopics = () => (topics ??= loadTopics(config.topicsPath));
  return {
    config,
    db,
    papers: papersRepo(db),
    editions: editionsRepo(db),
    subscribers: subscribersRepo(db),
    get mailer() {
      return (mailer ??= createMailer(config));
    },
    topics: getTopics,
    // topics.yaml is compiled at the first paper to classify: a run whose edition already exists needs none.
    classifier: () => ({
      classify: (paper) => classify(paper, getTopics()),
      trending: (edition, history) => trendingKeywords(edition, buildBackground(history)),
    }),
    now: opts.now ?? (() => new Date()),
    secrets,
    async close() {
      await mailer?.close();
      db.close();
    },
  };
}

/**
 * Reads or creates `<data>/secret` (mode 600) so tokens in sent emails keep working across runs. Created whole or not
 * at all (temp file, then a hard link that fails if another process made one meanwhile: theirs wins), so a process
 * killed mid-creation never leaves an empty key that every later run would sign links with.
 */
function dataDirSecret(dataDir: string): string {
  const path = join(dataDir, 'secret');
  let old: string | null = null;
  try {
    old = readFileSync(path, 'utf8').trim();
  } catch {
    old = null;
  }
  // Never signs with a key anyone could guess: an empty file is what an older version left when killed while creating it.
  if (old && old.length >= 32) return old;
  if (old) throw configError(`${path}: the generated key holds ${old.length} characters (32+ needed); delete the file to generate a new one, or set PAPERBOY_SECRET`);
  const secret = randomBytes(32).toString('hex');
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, secret + '\n', { mode: 0o600 });
    if (old === '') renameSync(tmp, path);
    else linkSync(tmp, path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw configError(`${path}: cannot create the key file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  } finally {
    rmSync(tmp, { force: true });
  }
  // What is on disk now is the key every process uses (another one's, when it won the race).
  const made = readFileSync(path, 'utf8').trim();
  if (made.length < 32) throw configError(`${path}: the generated key is incomplete; delete the file to generate a new one, or set PAPERBOY_SECRET`);
  return made;
}
