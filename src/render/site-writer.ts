// The site edge: writes rendered files atomically, leaves unchanged bytes alone, never empties a full feed.
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { removeDeadTemps, writeWhole } from '../whole-file.ts';

export interface WriteResult {
  written: string[];
  unchanged: string[];
  /** Feeds not replaced because the new version had no items and the old one had some. */
  kept: string[];
}

const itemCount = (path: string, content: string): number | null => {
  if (path.startsWith('feeds/') && path.endsWith('.xml') && !path.endsWith('opml.xml')) return (content.match(/<item>/g) ?? []).length;
  if (path.startsWith('feeds/') && path.endsWith('.json')) {
    try {
      return (JSON.parse(content) as { items?: unknown[] }).items?.length ?? 0;
    } catch {
      return 0;
    }
  }
  return null;
};

export function writeSite(siteDir: string, files: Map<string, string>): WriteResult {
  const root = resolve(siteDir);
  const result: WriteResult = { written: [], unchanged: [], kept: [] };
  removeDeadTemps(root, { recursive: true });
  for (const [rel, rendered] of [...files].sort(([a], [b]) => a.localeCompare(b))) {
    // What UTF-8 on disk will hold: a lone surrogate would otherwise read back different and look changed forever.
    const content = rendered.toWellFormed();
    const path = resolve(join(root, rel));
    if (!path.startsWith(root + sep)) throw new Error(`refusing to write outside the site folder: ${rel}`);
    let old: string | null = null;
    try {
      old = readFileSync(path, 'utf8');
    } catch {
      old = null;
    }
    if (old === content) {
      result.unchanged.push(rel);
      continue;
    }
    // A run that somehow finds no papers must not wipe what feed readers already have.
    if (old !== null && itemCount(rel, content) === 0 && (itemCount(rel, old) ?? 0) > 0) {
      result.kept.push(rel);
      continue;
    }
    mkdirSync(dirname(path), { recursive: true });
    // A reader (or the server) sees the old file or the new one, never half of one.
    writeWhole(path, content);
    result.written.push(rel);
  }
  return result;
}
