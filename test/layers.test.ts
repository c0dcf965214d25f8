// Imports run down the flow (commands → schedule → deliver/render → edition → store, ingest, topics), never up.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/tmp.ts';

/**
 * A folder may import its own tier and below. Root modules (domain, errors, clock, paper-ids, reader-order,
 * progress) are below everything; cli.ts, app.ts and config.ts put the whole together and are left out.
 * deliver, render and subscribe share a tier (a confirmation is composed mail; a digest carries signed links).
 */
const TIER: Record<string, number> = {
  '.': 0,
  store: 1,
  topics: 1,
  rank: 1,
  ingest: 2,
  edition: 2,
  sources: 3,
  render: 3,
  deliver: 3,
  subscribe: 3,
  schedule: 4,
  server: 5,
  commands: 5,
};
const COMPOSERS = new Set(['cli.ts', 'app.ts', 'config.ts']);
const SRC = join(ROOT, 'src');

const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
const folderOf = (file: string) => {
  const parts = relative(SRC, file).split('/');
  return parts.length === 1 ? '.' : parts[0]!;
};

describe('layers', () => {
  it('no module imports a folder above its own', () => {
    const upward: string[] = [];
    for (const file of sources(SRC)) {
      if (COMPOSERS.has(relative(SRC, file))) continue;
      const from = folderOf(file);
      const tier = TIER[from];
      expect(tier, `src/${from}/ needs a tier in test/layers.test.ts`).toBeDefined();
      for (const m of readFileSync(file, 'utf8').matchAll(/(?:from|import\()\s*'(\.{1,2}\/[^']+)'/g)) {
        const target = join(file, '..', m[1]!);
        if (!target.startsWith(SRC)) continue;
        const to = folderOf(target);
        if (to !== from && (TIER[to] ?? 99) > tier!) upward.push(`${relative(ROOT, file)} → ${relative(ROOT, target)}`);
      }
    }
    expect(upward).toEqual([]);
  });

  it('the store imports nothing but the store and the root modules', () => {
    const outside = sources(join(SRC, 'store')).flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/(?:from|import\()\s*'(\.{1,2}\/[^']+)'/g)]
        .map((m) => join(file, '..', m[1]!))
        .filter((t) => !['store', '.'].includes(folderOf(t)))
        .map((t) => `${relative(ROOT, file)} → ${relative(ROOT, t)}`),
    );
    expect(outside).toEqual([]);
  });
});
