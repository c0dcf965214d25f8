#!/usr/bin/env node
// The paperboy command: runs the compiled dist/ when it was built from the sources as they are now (the stamp
// matches), else the TypeScript sources through tsx, so an edit to src/ is never answered by stale code.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { STAMP_FILE, sourceStamp } from './source-stamp.js';

const root = join(import.meta.dirname, '..');
let built = null;
try {
  built = readFileSync(join(root, 'dist', STAMP_FILE), 'utf8');
} catch {
  // no build (a development checkout before `npm run build`): the sources it is
}
let cli;
if (built !== null && built === sourceStamp(root)) {
  cli = await import('../dist/cli.js');
} else {
  if (built !== null && process.stderr.isTTY) {
    process.stderr.write('paperboy: src/ changed since the last build; running the sources through tsx (`npm run build` for a fast start)\n');
  }
  const { register } = await import('tsx/esm/api');
  register();
  cli = await import('../src/cli.ts');
}
await cli.main();
