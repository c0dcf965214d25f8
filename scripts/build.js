// Builds dist/ from src/: tsc (tsconfig.build.json), then every non-TypeScript file under src/ copied beside the
// JavaScript (migrations, data files read through import.meta.url), then the source stamp. Run by `npm ci`: the
// `dependencies` script, not `prepare`, which `npx paperboy` would also run, in the checkout, at its first use.
// It never fails an install: a type error still yields a working build (tsc emits anyway; the test suite reports
// it), and a missing or failing compiler leaves no stamp, so bin/paperboy.js runs the sources through tsx.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { STAMP_FILE, sourceStamp } from '../bin/source-stamp.js';

const ROOT = join(import.meta.dirname, '..');
const DIST = join(ROOT, 'dist');
const say = (s) => process.stderr.write(`paperboy build: ${s}\n`);

let tsc;
try {
  tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
} catch {
  // e.g. `npm ci --omit=dev`: no compiler, and the sources still run through tsx (a dependency).
  say('typescript is not installed; skipping the build (paperboy runs its sources through tsx)');
  process.exit(0);
}

// Taken before compiling, so an edit made while tsc runs leaves the build stale, never falsely fresh.
const stamp = sourceStamp(ROOT);
rmSync(DIST, { recursive: true, force: true });
const r = spawnSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json')], { cwd: ROOT, stdio: 'inherit' });
// tsc exits 0 when clean, 2 when it found errors but emitted all the same; anything else means no usable output.
if (r.status === 2) say('type errors above (the JavaScript was emitted anyway; `npm run typecheck` lists them)');
else if (r.status !== 0) {
  // Still exit 0: an install must not fail over the build, and the sources run without it.
  say(`tsc failed (${r.error?.message ?? `exit ${r.status ?? r.signal}`}); paperboy will run its sources through tsx`);
  rmSync(DIST, { recursive: true, force: true });
  process.exit(0);
}

// Assets: whatever is not TypeScript, whole folders and patterns alike, so new migrations and data files need no edit here.
const SRC = join(ROOT, 'src');
for (const e of readdirSync(SRC, { recursive: true, withFileTypes: true })) {
  if (!e.isFile() || e.name.endsWith('.ts')) continue;
  const from = join(e.parentPath ?? e.path, e.name);
  const to = join(DIST, from.slice(SRC.length + 1));
  mkdirSync(dirname(to), { recursive: true });
  if (!existsSync(to)) cpSync(from, to);
}
if (!existsSync(join(DIST, 'cli.js'))) {
  say('tsc emitted no dist/cli.js; paperboy will run its sources through tsx');
  process.exit(0);
}
writeFileSync(join(DIST, STAMP_FILE), stamp);
say(r.status === 0 ? 'dist/ is up to date' : 'dist/ built (with type errors)');
