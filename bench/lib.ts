// Bench helpers: timing, medians, alternating repetitions, child peak memory, targets, the RESULT line for run.ts.
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { STAMP_FILE, sourceStamp } from '../bin/source-stamp.js';

/** One target of a workload: what the issue asks, what this run measured, and whether it is met. */
export interface Target {
  target: string;
  measured: string;
  pass: boolean;
}

export interface BenchResult {
  workload: string;
  size: string;
  ms: number;
  baselineMs: number;
  /** paperboy / baseline; `ratioOf` says of what (time: lower is better; throughput: higher is better). */
  ratio: number;
  ratioOf: 'time' | 'throughput';
  targets: Target[];
  [key: string]: unknown;
}

export const machine = () => ({
  cores: cpus().length,
  cpu: cpus()[0]?.model ?? 'unknown',
  node: process.version,
  platform: `${process.platform}-${process.arch}`,
  loadavg: loadavg().map((l) => Math.round(l * 100) / 100),
});

export const quick = process.argv.includes('--quick') || process.env.BENCH_QUICK === '1';

export async function time<T>(fn: () => T | Promise<T>): Promise<{ ms: number; value: T }> {
  const t = performance.now();
  const value = await fn();
  return { ms: performance.now() - t, value };
}

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** A full collection between phases when node runs with --expose-gc (run.ts passes it), else nothing. */
export const gc = () => (globalThis as { gc?: () => void }).gc?.();

/**
 * Runs `a` and `b` `reps` times each in ABBA order (a b b a a b …), collecting before each phase, so drift
 * in machine load and heap state falls on both sides alike. Returns the per-phase results of each side.
 */
export async function alternate<A, B>(reps: number, a: () => Promise<A> | A, b: () => Promise<B> | B): Promise<{ a: A[]; b: B[] }> {
  const out = { a: [] as A[], b: [] as B[] };
  for (let i = 0; i < reps * 2; i++) {
    gc();
    const isA = (i >> 1) % 2 === 0 ? i % 2 === 0 : i % 2 === 1; // 0:a 1:b 2:b 3:a 4:a 5:b …
    if (isA) out.a.push(await a());
    else out.b.push(await b());
  }
  return out;
}

// A preload that prints the process's own peak RSS on exit: no dependency on /usr/bin/time.
const MAXRSS_HOOK = join(import.meta.dirname, 'maxrss-hook.mjs');

/** Runs `node <args>` with the peak-RSS hook; rssMb is null (shown as n/a) when the child did not report it. */
export function runNode(args: string[], opts: SpawnSyncOptions = {}): { ms: number; rssMb: number | null; status: number | null; stdout: string; stderr: string } {
  const t = performance.now();
  const r = spawnSync(process.execPath, ['--import', MAXRSS_HOOK, ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, ...opts });
  const ms = performance.now() - t;
  const stderr = String(r.stderr ?? '');
  const kb = /PB_MAXRSS_KB (\d+)/.exec(stderr)?.[1];
  return { ms, rssMb: kb === undefined ? null : Number(kb) / 1024, status: r.status, stdout: String(r.stdout ?? ''), stderr };
}

export const mb = (x: number | null) => (x === null ? 'n/a' : `${Math.round(x)} MB`);
export const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

export function check(ok: boolean, message: string): void {
  if (!ok) throw new Error(`self-check failed: ${message}`);
}

export function report(result: BenchResult): void {
  console.log(`RESULT ${JSON.stringify(result)}`);
}

const ROOT = join(import.meta.dirname, '..');
const builtFresh = () => {
  try {
    return readFileSync(join(ROOT, 'dist', STAMP_FILE), 'utf8') === sourceStamp(ROOT);
  } catch {
    return false;
  }
};

/** What users start is dist/ (npm ci builds it): builds it when missing or stale, and checks bin/ would take it. */
export function ensureBuilt(): void {
  if (!builtFresh()) check(spawnSync(process.execPath, [join(ROOT, 'scripts/build.js')], { cwd: ROOT, stdio: 'inherit' }).status === 0 && builtFresh(), 'npm run build did not give a current dist/');
}
