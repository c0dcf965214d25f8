// Bench: a generated seed file of recombined real papers (50 MB; --quick 5 MB): parse+dedupe+store vs bare read-and-split.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeSeed } from '../src/ingest/decode.ts';
import { parseSeed } from '../src/ingest/parse.ts';
import { ingestSeeds } from '../src/ingest/scan.ts';
import { openDb } from '../src/store/db.ts';
import { papersRepo } from '../src/store/papers.ts';
import { quick, report, time } from './lib.ts';

const ROOT = join(import.meta.dirname, '..');
const targetBytes = (quick ? 5 : 50) * 1024 * 1024;
const seeds = ['000_85cfc0436d41684a.txt', '001_9d2220cffeb7fbb9.txt'].flatMap((f) => parseSeed(decodeSeed(readFileSync(join(ROOT, 'seeds', f)))).papers);

// Unique titles (so every paper is new), real abstracts.
const dir = mkdtempSync(join(tmpdir(), 'paperboy-bench-ingest-'));
const seedsDir = join(dir, 'seeds');
const lines = ['Daily Papers', ''];
let bytes = 0;
let n = 0;
while (bytes < targetBytes) {
  const p = seeds[n % seeds.length]!;
  const title = `${p.title} (variant ${n})`;
  lines.push(title, seeds[(n * 7 + 1) % seeds.length]!.abstract);
  bytes += title.length + p.abstract.length + 2;
  n++;
}
const { mkdirSync } = await import('node:fs');
mkdirSync(seedsDir);
const file = join(seedsDir, 'big.txt');
writeFileSync(file, lines.join('\n'));

const bare = await time(() => readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '').length);
const db = openDb(join(dir, 'paperboy.db'));
const ours = await time(() => ingestSeeds({ seedsDir, papers: papersRepo(db), now: () => new Date() }));
if (ours.value.papersNew !== n) throw new Error(`ingest bench: expected ${n} new papers, got ${ours.value.papersNew}`);
// Memory in a process of its own (this one also built the file and ran the baseline): `paperboy ingest`
// on a fresh data folder, against a bare process that reads and splits the same file.
const peak = (args: string[], env: Record<string, string> = {}) => {
  const r = spawnSync('/usr/bin/time', ['-f', 'MAXRSS %M', ...args], { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  return Number(/MAXRSS (\d+)/.exec(r.stderr)?.[1] ?? 0) / 1024;
};
const rss = peak([process.execPath, 'bin/paperboy.js', 'ingest', '--json'], { PAPERBOY_SEEDS_DIR: seedsDir, PAPERBOY_DATA_DIR: join(dir, 'data2'), PAPERBOY_TOPICS: join(ROOT, 'topics.yaml') });
const bareRss = peak([process.execPath, '-e', `require('fs').readFileSync(${JSON.stringify(file)}, 'utf8').split('\\n').length`]);
console.log(`ingest: ${(bytes / 1e6).toFixed(0)} MB, ${n} papers: paperboy ${ours.ms.toFixed(0)} ms (${Math.round((n / ours.ms) * 1000)} papers/s), bare read+split ${bare.ms.toFixed(0)} ms; peak RSS of \`paperboy ingest\` ${rss.toFixed(0)} MB vs bare read+split ${bareRss.toFixed(0)} MB`);
report({ workload: 'ingest', papers: n, mb: bytes / 1e6, ms: ours.ms, baselineMs: bare.ms, ratio: ours.ms / bare.ms, papersPerSecond: Math.round((n / ours.ms) * 1000), peakRssMb: Math.round(rss), bareRssMb: Math.round(bareRss) });
db.close();
