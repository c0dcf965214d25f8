// Test helpers: a throwaway project folder (data + seeds) and the CLI run as a real child process.
import { spawn, spawnSync, type ChildProcess, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');
export const SEEDS = join(ROOT, 'seeds');
export const FIXTURES = join(ROOT, 'test/fixtures');
export const BIN = join(ROOT, 'bin/paperboy.js');

export interface TmpProject {
  dir: string;
  dataDir: string;
  seedsDir: string;
  env: Record<string, string>;
}

/** A temp folder with an empty (or copied) seeds folder and a data folder, and the env pointing at them. */
export function tmpProject(opts: { copySeeds?: boolean } = {}): TmpProject {
  const dir = mkdtempSync(join(tmpdir(), 'paperboy-test-'));
  const dataDir = join(dir, 'data');
  const seedsDir = join(dir, 'seeds');
  mkdirSync(seedsDir, { recursive: true });
  if (opts.copySeeds) cpSync(SEEDS, seedsDir, { recursive: true });
  return {
    dir,
    dataDir,
    seedsDir,
    env: {
      PAPERBOY_DATA_DIR: dataDir,
      PAPERBOY_SEEDS_DIR: seedsDir,
      PAPERBOY_TOPICS: join(ROOT, 'topics.yaml'),
      PAPERBOY_SECRET: 'test-secret-test-secret-test-secret-0123',
    },
  };
}

/** Runs `paperboy <args>` in `cwd` with only the given env on top of PATH/HOME. */
export function cli(args: string[], env: Record<string, string>, cwd = ROOT): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    encoding: 'utf8',
    timeout: 60_000,
    maxBuffer: 256 * 1024 * 1024,
  });
}

export interface SpawnedCli {
  child: ChildProcess;
  /** The exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  stdout(): string;
  stderr(): string;
}

/**
 * Starts `paperboy <args>` without waiting, for tests that signal or race it. Not spawnSync: a test's own
 * servers (SMTP) live in the test process and must keep answering while the child runs.
 */
export function spawnCli(args: string[], env: Record<string, string>, cwd = ROOT): SpawnedCli {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (c) => (out += c));
  child.stderr!.on('data', (c) => (err += c));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, exited, stdout: () => out, stderr: () => err };
}
