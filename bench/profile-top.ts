// Summarizes a .cpuprofile (or a folder of them): self time by file:function and by file, and total time of paperboy's own functions.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

interface Node { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }
const arg = process.argv[2]!;
const ROOT = join(import.meta.dirname, '..');
const paths = statSync(arg).isDirectory() ? readdirSync(arg).filter((x) => x.endsWith('.cpuprofile')).map((x) => join(arg, x)) : [arg];
for (const f of paths) {
  const p = JSON.parse(readFileSync(f, 'utf8')) as { nodes: Node[]; samples: number[]; timeDeltas: number[] };
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const file = (n: Node) => (n.callFrame.url.startsWith('file://') ? relative(ROOT, n.callFrame.url.slice(7)) : n.callFrame.url || '(native)');
  const key = (n: Node) => `${file(n)}:${n.callFrame.functionName || '(anonymous)'}:${n.callFrame.lineNumber + 1}`;
  const self = new Map<string, number>();
  const files = new Map<string, number>();
  const total = new Map<string, number>();
  const add = (m: Map<string, number>, k: string, us: number) => m.set(k, (m.get(k) ?? 0) + us);
  p.samples.forEach((id, i) => {
    const us = p.timeDeltas[i] ?? 0;
    const n = byId.get(id)!;
    add(self, key(n), us);
    add(files, file(n), us);
    // Total (inclusive) time, each paperboy function once per sample however deep the recursion.
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const a = byId.get(at)!;
      if (file(a).startsWith('src/') && !seen.has(key(a))) seen.add(key(a)) && add(total, key(a), us);
    }
  });
  const sum = [...files.values()].reduce((a, b) => a + b, 0);
  const top = (m: Map<string, number>, n: number) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, us]) => `  ${((us / sum) * 100).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(6)} ms  ${k}`).join('\n');
  console.log(`${f}: ${(sum / 1000).toFixed(0)} ms sampled\nself time by function:\n${top(self, 20)}\nself time by file:\n${top(files, 12)}\ntotal time of src/ functions:\n${top(total, 20)}`);
}
