// The site edge: writes rendered files atomically, leaves unchanged bytes alone, never empties a full feed.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';

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

/**
 * Temp files a writer killed between write and rename left behind (`<file>.<pid>.tmp`): runs never overlap (the
 * lease), so any found when a run writes are dead, torn copies that an rsync of the site would publish.
 */
function removeDeadTemps(root: string): void {
  let names: string[];
  try {
    names = readdirSync(root, { recursive: true, encoding: 'utf8' });
  } catch {
    return; // no site yet
  }
  for (const name of names) if (/\.\d+\.tmp$/.test(name)) rmSync(join(root, name), { force: true });
}

export function writeSite(siteDir: string, files: Map<string, string>): WriteResult {
  const root = resolve(siteDir);
  const result: WriteResult = { written: [], unchanged: [], kept: [] };
  removeDeadTemps(root);
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
    // Temp file + rename: a reader (or the server) sees the old file or the new one, never half of one.
    const tmp = `${path}.${process.pid}.tmp`;
    try {
      writeFileSync(tmp, content);
      renameSync(tmp, path);
    } catch (err) {
      rmSync(tmp, { force: true });
      throw err;
    }
    result.written.push(rel);
  }
  return result;
}
