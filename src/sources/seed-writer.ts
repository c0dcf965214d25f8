// Writes a fetched listing into the seeds folder: atomically (temp file + rename) and only when its bytes changed.
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { writeWhole } from '../whole-file.ts';

export type WriteOutcome = 'written' | 'unchanged';

/**
 * The ingest reads whole files by content hash, so a half-written file must never be visible: the temp file is
 * hidden (a leading dot, which the ingest skips) and renamed over the old one in one step.
 */
export function writeSeedFile(path: string, bytes: Buffer): WriteOutcome {
  try {
    if (readFileSync(path).equals(bytes)) return 'unchanged';
  } catch {
    // no file yet (or unreadable): write it
  }
  mkdirSync(dirname(path), { recursive: true });
  writeWhole(path, bytes, { hidden: true });
  return 'written';
}
