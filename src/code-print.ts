// Fingerprints of paperboy's own code and of a templates folder: what rendered output stored for later is keyed by.
import { createHash, type Hash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// The code that renders: its sources (src/), also when dist/ runs, which bin/paperboy.js runs only while it was built
// from those sources as they are now; so a `run` through tsx and a `send` from dist/ agree. The running folder when
// there are no sources beside it. Only .ts/.js files: data beside them (migrations, the topic model) reaches rendered
// output through what it reads.
const SOURCES = fileURLToPath(new URL('../src/', import.meta.url));
const CODE = existsSync(SOURCES) ? SOURCES : fileURLToPath(new URL('./', import.meta.url));
const TEMPLATES = fileURLToPath(new URL('../templates/', import.meta.url));

/** Adds every file under `dir` (names and bytes, in name order) to `hash`. */
export function hashTree(hash: Hash, dir: string, only?: RegExp): void {
  for (const name of readdirSync(dir, { recursive: true }).map(String).filter((n) => !only || only.test(n)).sort()) {
    const path = join(dir, name);
    try {
      hash.update(`${name}\0`).update(readFileSync(path)).update('\0');
    } catch {
      // a folder (or a file gone meanwhile): its name is in the hash already
    }
  }
}

let code: string | null = null;
/** The running code's fingerprint, once per process: the code a process runs does not change under it. */
export function codePrint(): string {
  if (code !== null) return code;
  const hash = createHash('sha256');
  hashTree(hash, CODE, /\.[jt]s$/);
  return (code = hash.digest('hex'));
}

/** A templates subfolder (`web`, `email`), read each time: a template edited under a daemon counts at its next run. */
export function templatesPrint(folder: string): string {
  const hash = createHash('sha256');
  hashTree(hash, join(TEMPLATES, folder));
  return hash.digest('hex');
}
