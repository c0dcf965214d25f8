// Bench helpers: timing, the machine description, the RESULT line every workload prints for bench/run.ts.
import { cpus } from 'node:os';

export interface BenchResult {
  workload: string;
  ms: number;
  baselineMs: number;
  /** paperboy time / baseline time (lower is better), unless the workload says otherwise. */
  ratio: number;
  [key: string]: unknown;
}

export const machine = () => ({ cores: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', node: process.version, platform: `${process.platform}-${process.arch}` });

export async function time<T>(fn: () => T | Promise<T>): Promise<{ ms: number; value: T }> {
  const t = performance.now();
  const value = await fn();
  return { ms: performance.now() - t, value };
}

export const quick = process.argv.includes('--quick') || process.env.BENCH_QUICK === '1';

export function report(result: BenchResult): void {
  console.log(`RESULT ${JSON.stringify(result)}`);
}
