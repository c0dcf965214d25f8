// Type errors fail the suite: the build (at `npm ci`) emits JavaScript despite them, so they surface here.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/tmp.ts';

describe('types', () => {
  // About 10 s alone; minutes on two cores shared with the rest of the suite: the timeout only stops a hang.
  it('tsc --noEmit finds no error in src, test or bench', () => {
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    const r = spawnSync(process.execPath, [tsc, '--noEmit', '-p', 'tsconfig.json', '--pretty', 'false'], { cwd: ROOT, encoding: 'utf8', timeout: 540_000 });
    expect(r.error).toBeUndefined();
    expect(r.stdout + r.stderr, 'tsc reported type errors').toBe('');
    expect(r.status).toBe(0);
  }, 600_000);
});
