// Composition root: builds the store, repositories, topics and clock from a Config; nothing else wires things.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
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
    secrets: config.secrets.length ? config.secrets : [dataDirSecret(config.dataDir)],
    async close() {
      await mailer?.close();
      db.close();
    },
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
