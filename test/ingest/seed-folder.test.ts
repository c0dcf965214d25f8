// Which files of the seeds folder are seed files: subfolders yes, hidden names no, each folder once however it is linked.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listSeedFiles } from '../../src/ingest/scan.ts';
import { tmpProject } from '../helpers/tmp.ts';

describe('the seeds folder', () => {
  it('lists files in subfolders, skips hidden ones, and walks a folder linked back into itself once', () => {
    const { seedsDir } = tmpProject();
    writeFileSync(join(seedsDir, 'a.txt'), 'x');
    writeFileSync(join(seedsDir, '.hidden.txt'), 'x');
    mkdirSync(join(seedsDir, 'hf/2026'), { recursive: true });
    writeFileSync(join(seedsDir, 'hf/2026/12-07.json'), '[]');
    // A link back to the seeds folder: readdir's recursion walked loop/loop/… forty deep, each level every file again.
    symlinkSync(seedsDir, join(seedsDir, 'loop'));
    // A linked folder that is not otherwise in the tree is read (once).
    const elsewhere = join(seedsDir, '..', 'more');
    mkdirSync(elsewhere);
    writeFileSync(join(elsewhere, 'b.json'), '[]');
    symlinkSync(elsewhere, join(seedsDir, 'more-link'));
    symlinkSync(elsewhere, join(seedsDir, 'more-link-again'));
    expect(listSeedFiles(seedsDir).map((f) => relative(seedsDir, f))).toEqual(['a.txt', 'hf/2026/12-07.json', 'more-link/b.json']);
  });

  it('two links back into the folder (2^40 paths through the loop before) still list each file once', () => {
    const { seedsDir } = tmpProject();
    writeFileSync(join(seedsDir, 'a.txt'), 'x');
    symlinkSync(seedsDir, join(seedsDir, 'l1'));
    symlinkSync(seedsDir, join(seedsDir, 'l2'));
    expect(listSeedFiles(seedsDir).map((f) => relative(seedsDir, f))).toEqual(['a.txt']);
  });
});
