// Imports run down the flow (commands → schedule → deliver/render → edition → store, ingest, topics), never up, no cycles.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/tmp.ts';

/**
 * A folder may import its own tier and below. Root modules (domain, errors, clock, config, paper-ids, reader-order,
 * progress, signed-links, reader-links, dkim-key) are below everything; cli.ts and app.ts put the whole together
 * and are left out (others take App as a type only). subscribe sits above deliver: the subscription service sends
 * confirmation mail through it, while the signed links that digests and pages carry are the root's signed-links.ts.
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
  subscribe: 4,
  schedule: 4,
  server: 5,
  commands: 5,
};
const COMPOSERS = new Set(['cli.ts', 'app.ts']);
const SRC = join(ROOT, 'src');

interface Edge {
  from: string;
  to: string;
  typeOnly: boolean;
}

const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
const folderOf = (file: string) => {
  const parts = file.split('/');
  return parts.length === 1 ? '.' : parts[0]!;
};
/** A folder, or a root module on its own: config.ts ↔ deliver/ is a cycle even though both import root modules. */
const unitOf = (file: string) => (folderOf(file) === '.' ? file : folderOf(file));

/** Every relative import in src/, as paths under src/; `import type` / `export type` statements are marked. */
function edgesOf(src: string): Edge[] {
  return sources(src).flatMap((file) =>
    [...readFileSync(file, 'utf8').matchAll(/(?:^|\n)\s*(import|export)(\s+type)?\b[^;]*?from\s*'(\.{1,2}\/[^']+)'|import\(\s*'(\.{1,2}\/[^']+)'/g)]
      .map((m) => ({ from: relative(src, file), to: relative(src, join(file, '..', m[3] ?? m[4]!)), typeOnly: Boolean(m[2]) }))
      .filter((e) => !e.to.startsWith('..')),
  );
}

/** Strongly connected groups of more than one node (Tarjan), each sorted, for readable failures. */
function cycles(edges: [string, string][]): string[][] {
  const next = new Map<string, Set<string>>();
  for (const [a, b] of edges) if (a !== b) next.set(a, (next.get(a) ?? new Set()).add(b));
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (stack.includes(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const group = stack.splice(stack.indexOf(v));
      if (group.length > 1) found.push(group.sort());
    }
  };
  for (const v of next.keys()) if (!index.has(v)) visit(v);
  return found;
}

/** Folder-level cycles (type imports count: a folder that needs another's types depends on it); composers left out. */
const folderCycles = (edges: Edge[]) =>
  cycles(edges.filter((e) => !COMPOSERS.has(e.from) && !COMPOSERS.has(e.to)).map((e) => [unitOf(e.from), unitOf(e.to)]));

/** Module-level cycles among imports that run (a type-only import is erased and orders nothing at load). */
const moduleCycles = (edges: Edge[]) => cycles(edges.filter((e) => !e.typeOnly).map((e) => [e.from, e.to]));

describe('layers', () => {
  const edges = edgesOf(SRC);

  it('no module imports a folder above its own', () => {
    const upward: string[] = [];
    for (const file of sources(SRC).map((f) => relative(SRC, f))) {
      expect(TIER[folderOf(file)], `src/${folderOf(file)}/ needs a tier in test/layers.test.ts`).toBeDefined();
    }
    for (const { from, to } of edges) {
      if (COMPOSERS.has(from) || COMPOSERS.has(to)) continue;
      const [a, b] = [folderOf(from), folderOf(to)];
      if (a !== b && (TIER[b] ?? 99) > TIER[a]!) upward.push(`src/${from} → src/${to}`);
    }
    expect(upward).toEqual([]);
  });

  it('no two folders (or a folder and a root module) import each other, directly or around a loop', () => {
    expect(folderCycles(edges)).toEqual([]);
  });

  it('no import cycle between modules at load', () => {
    expect(moduleCycles(edges)).toEqual([]);
  });

  it('the composition root is imported for its types only, except by the CLI and commands', () => {
    const used = edges.filter((e) => COMPOSERS.has(e.to) && !e.typeOnly && !COMPOSERS.has(e.from) && folderOf(e.from) !== 'commands');
    expect(used.map((e) => `src/${e.from} → src/${e.to}`)).toEqual([]);
  });

  it('the store imports nothing but the store and the root modules', () => {
    const outside = edges.filter((e) => folderOf(e.from) === 'store' && !['store', '.'].includes(folderOf(e.to)));
    expect(outside.map((e) => `src/${e.from} → src/${e.to}`)).toEqual([]);
  });

  it('the checks catch the cycles this layout replaced (deliver ↔ subscribe, config.ts ↔ deliver)', () => {
    const old: Edge[] = [
      { from: 'deliver/send-loop.ts', to: 'subscribe/tokens.ts', typeOnly: false },
      { from: 'subscribe/service.ts', to: 'deliver/compose.ts', typeOnly: false },
      { from: 'subscribe/service.ts', to: 'deliver/mailer.ts', typeOnly: true },
      { from: 'config.ts', to: 'deliver/dkim.ts', typeOnly: false },
      { from: 'deliver/mailer.ts', to: 'config.ts', typeOnly: true },
      { from: 'deliver/send.ts', to: 'app.ts', typeOnly: true },
      { from: 'app.ts', to: 'deliver/mailer.ts', typeOnly: false },
    ];
    expect(folderCycles(old)).toEqual([['config.ts', 'deliver', 'subscribe']]);
    expect(moduleCycles([...old, { from: 'deliver/compose.ts', to: 'subscribe/service.ts', typeOnly: false }])).toEqual([
      ['deliver/compose.ts', 'subscribe/service.ts'],
    ]);
    expect(moduleCycles([{ from: 'a.ts', to: 'b.ts', typeOnly: true }, { from: 'b.ts', to: 'a.ts', typeOnly: false }])).toEqual([]);
  });
});
