// Opens the SQLite store (WAL, foreign keys) and applies the versioned migrations in migrations/.
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { storeError } from '../errors.ts';

export type Db = Database.Database;

const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url);

/** Migrations are `NNN_name.sql`; PRAGMA user_version records the last one applied. */
function migrations(): { version: number; name: string; sql: string }[] {
  return readdirSync(MIGRATIONS_DIR)
    .filter((f) => /^\d{3}_[\w-]+\.sql$/.test(f))
    .sort()
    .map((f) => ({ version: Number(f.slice(0, 3)), name: f, sql: readFileSync(new URL(f, MIGRATIONS_DIR), 'utf8') }));
}

export function openDb(path: string): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  let db: Db | null = null;
  try {
    db = new Database(path);
    return setUp(db);
  } catch (err) {
    db?.close();
    // A damaged, busy or unreadable file is one line naming it (the first read is where SQLite finds out).
    throw storeError(err, path) ?? err;
  }
}

function setUp(db: Db): Db {
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  // NORMAL is durable across process crashes in WAL mode; only an OS crash can lose the last commit.
  db.pragma('synchronous = NORMAL');
  // Several processes (cron run beside the daemon) may share the file; wait instead of failing at once.
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
}

export function migrate(db: Db): void {
  const pending = migrations().filter((m) => m.version > (db.pragma('user_version', { simple: true }) as number));
  // An up-to-date store (every command but the first after an upgrade) takes no write lock at all.
  for (const m of pending) {
    db.transaction(() => {
      // Read inside the write lock: two processes opening a store at once must not both apply a migration.
      if ((db.pragma('user_version', { simple: true }) as number) >= m.version) return;
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    }).immediate();
  }
}
