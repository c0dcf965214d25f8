// A damaged, truncated or locked store file: one line naming it and a non-zero exit, never a stack trace.
import { copyFileSync, mkdirSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { statusOf } from '../../src/server/http.ts';
import { cli, tmpProject } from '../helpers/tmp.ts';

let built: string;
beforeAll(() => {
  // One real store with papers in it, copied and damaged per test.
  const p = tmpProject({ copySeeds: true });
  const r = cli(['ingest'], p.env);
  expect(r.status, r.stderr).toBe(0);
  const db = new Database(join(p.dataDir, 'paperboy.db'));
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  built = join(p.dataDir, 'paperboy.db');
}, 60_000);

function projectWithStore(damage: (dbPath: string) => void) {
  const p = tmpProject();
  mkdirSync(p.dataDir, { recursive: true });
  const dbPath = join(p.dataDir, 'paperboy.db');
  copyFileSync(built, dbPath);
  damage(dbPath);
  return { ...p, dbPath };
}

function expectOneLine(stderr: string, pattern: RegExp) {
  const lines = stderr.trim().split('\n');
  expect(lines, stderr).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(stderr).not.toMatch(/\n\s+at /);
}

describe('a damaged store', () => {
  it('truncated mid-file: exit 74 and one line naming the file', () => {
    const p = projectWithStore((f) => truncateSync(f, 20_000));
    const r = cli(['run', '--date', '2026-12-07'], p.env);
    expect(r.status).toBe(74);
    expectOneLine(r.stderr, new RegExp(`^paperboy: the store ${p.dbPath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is damaged \\(`));
  });

  it('not a database at all: exit 74, one line', () => {
    const p = projectWithStore((f) => writeFileSync(f, Buffer.alloc(50_000, 0x5a)));
    const r = cli(['papers'], p.env);
    expect(r.status).toBe(74);
    expectOneLine(r.stderr, /is damaged \(file is not a database\)/);
  });

  it('locked by another process past the busy wait: exit 75, one line', () => {
    const p = projectWithStore(() => undefined);
    const holder = new Database(p.dbPath);
    holder.pragma('locking_mode = EXCLUSIVE');
    holder.exec('BEGIN EXCLUSIVE');
    try {
      const r = cli(['papers'], p.env);
      expect(r.status).toBe(75);
      expectOneLine(r.stderr, /^paperboy: the store .* is busy: another process holds a lock on it; try again later$/);
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
  }, 30_000);

  it('the web server answers a store busy past the wait with 503, not a 500', () => {
    const p = projectWithStore(() => undefined);
    const holder = new Database(p.dbPath);
    const other = new Database(p.dbPath, { timeout: 0 });
    // A run's long write transaction; the request wants to write too (a subscription).
    holder.exec('BEGIN IMMEDIATE');
    let thrown: unknown;
    try {
      other.prepare('DELETE FROM papers WHERE 0').run();
    } catch (err) {
      thrown = err;
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
      other.close();
    }
    expect((thrown as { code?: string }).code).toBe('SQLITE_BUSY');
    expect(statusOf(thrown).status).toBe(503);
  });
});
