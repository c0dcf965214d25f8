// The build's source stamp: bin/paperboy.js runs dist/ only while the stamp matches, so any change to src/ must change it.
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sourceStamp as stamp } from '../bin/source-stamp.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function project(): string {
  const root = mkdtempSync(join(tmpdir(), 'paperboy-stamp-'));
  dirs.push(root);
  mkdirSync(join(root, 'src/store/migrations'), { recursive: true });
  writeFileSync(join(root, 'src/cli.ts'), 'export const a = 1;\n');
  writeFileSync(join(root, 'src/store/migrations/001_a.sql'), 'SELECT 1;\n');
  writeFileSync(join(root, 'tsconfig.json'), '{}');
  return root;
}

describe('source stamp', () => {
  it('is the same for unchanged sources and changes with any edit, new, deleted or back-dated file', () => {
    const root = project();
    const first = stamp(root);
    expect(stamp(root)).toBe(first);
    expect(first).toContain('src/store/migrations/001_a.sql');

    writeFileSync(join(root, 'src/store/migrations/002_b.sql'), 'SELECT 2;\n');
    const added = stamp(root);
    expect(added).not.toBe(first);

    rmSync(join(root, 'src/store/migrations/002_b.sql'));
    expect(stamp(root)).not.toBe(added);

    // Same size, mtime set to the past (a checkout, `cp -p`): still a different stamp.
    const before = stamp(root);
    writeFileSync(join(root, 'src/cli.ts'), 'export const b = 1;\n');
    utimesSync(join(root, 'src/cli.ts'), new Date(2000, 0, 1), new Date(2000, 0, 1));
    expect(stamp(root)).not.toBe(before);

    const beforeConfig = stamp(root);
    writeFileSync(join(root, 'tsconfig.json'), '{ }');
    expect(stamp(root)).not.toBe(beforeConfig);
  });
});
