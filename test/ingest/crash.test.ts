// Crash safety: an ingest killed with SIGKILL leaves the store consistent, and the file is ingested whole next time.
import { spawn } from 'node:child_process';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { BIN, cli, ROOT, tmpProject } from '../helpers/tmp.ts';

const PAPERS = 60_000;

function state(dbPath: string): { files: number; papers: number } {
  const db = new Database(dbPath, { readonly: true });
  try {
    const files = (db.prepare("SELECT count(*) AS n FROM seed_files WHERE status = 'ingested'").get() as { n: number }).n;
    const papers = (db.prepare('SELECT count(*) AS n FROM papers').get() as { n: number }).n;
    return { files, papers };
  } catch {
    return { files: 0, papers: 0 }; // killed before the first migration committed
  } finally {
    db.close();
  }
}

describe('a killed ingest', () => {
  it('leaves either the whole file or none of it, at any kill point', async () => {
    const proj = tmpProject();
    const lines = ['Daily Papers'];
    for (let i = 0; i < PAPERS; i++) lines.push(`Crash Test Paper ${i}: Robust Ingestion`, `We study paper ${i}. `.repeat(12));
    writeFileSync(join(proj.seedsDir, 'big.txt'), lines.join('\n'));
    const dbPath = join(proj.dataDir, 'paperboy.db');
    const walPath = `${dbPath}-wal`;
    const seen: string[] = [];
    const walGrown = async (bytes: number, timeoutMs: number) => {
      for (const end = Date.now() + timeoutMs; Date.now() < end; await new Promise((r) => setTimeout(r, 5))) {
        if (existsSync(walPath) && statSync(walPath).size > bytes) return true;
      }
      return false;
    };
    // The first kill waits until the insert transaction has spilled pages into the WAL (so it is surely
    // mid-transaction, whatever the machine's speed); the others are spread over start-up and parsing.
    for (const delay of ['in-transaction', 700, 1100, 1500, 1900, 2400] as const) {
      const child = spawn(process.execPath, [BIN, 'ingest'], { cwd: ROOT, env: { PATH: process.env.PATH, ...proj.env }, stdio: 'ignore' });
      const exited = new Promise((r) => child.on('exit', r));
      if (delay === 'in-transaction') expect(await walGrown(4 * 1024 * 1024, 60_000), 'the ingest never wrote 4 MB of WAL').toBe(true);
      else await new Promise((r) => setTimeout(r, delay));
      child.kill('SIGKILL');
      await exited;
      let s = { files: 0, papers: 0 };
      try {
        s = state(dbPath);
      } catch {
        // no database file yet
      }
      seen.push(`${delay}${typeof delay === 'number' ? 'ms' : ''}:${s.files}/${s.papers}`);
      // Killed inside the transaction: nothing of the file may be visible.
      if (delay === 'in-transaction') expect(s).toEqual({ files: 0, papers: 0 });
      expect([{ files: 0, papers: 0 }, { files: 1, papers: PAPERS }]).toContainEqual(s);
      if (s.files === 1) break;
    }
    console.log(`kill points (delay:files/papers): ${seen.join(' ')}`);
    const r = cli(['ingest', '--json'], proj.env);
    expect(r.status).toBe(0);
    expect(state(dbPath)).toEqual({ files: 1, papers: PAPERS });
  });
});
