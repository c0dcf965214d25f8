// The topics edge: reads topics.yaml from disk and compiles it.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { configError } from '../errors.ts';
import { lineOf, scanUtf8 } from '../utf8-scan.ts';
import { loadFieldModel } from './model.ts';
import { compileTopics, type CompiledTopics } from './rules.ts';

export interface LoadOptions {
  /** Where a warning line goes (default: stderr, as `paperboy: warning: …`). */
  warn?: (line: string) => void;
}

export function loadTopics(path: string, opts: LoadOptions = {}): CompiledTopics {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : code === 'EISDIR' ? 'is a directory' : `cannot be read (${code ?? String(err)})`;
    throw configError(`topics file ${path} ${why}; point PAPERBOY_TOPICS at a topics.yaml`);
  }
  const text = bytes.toString('utf8');
  // A byte that is not UTF-8 becomes U+FFFD, so a keyword holding it never matches: one warning line, not fatal.
  // (A U+FFFD written in the file as UTF-8 is the author's; the scan counts only bytes that are not UTF-8.)
  const { bad, firstBad } = text.includes('\uFFFD') ? scanUtf8(bytes) : { bad: 0, firstBad: -1 };
  if (bad > 0) {
    const warn = opts.warn ?? ((line: string) => process.stderr.write(`paperboy: warning: ${line}\n`));
    warn(
      `topics file ${path}: ${bad} ${bad === 1 ? 'byte' : 'bytes'} not valid UTF-8 (first at ${lineOf(bytes, firstBad)}, byte offset ${firstBad}) ` +
        'read as U+FFFD; a keyword or pattern holding one never matches (save the file as UTF-8)',
    );
  }
  // Errors name the file as the operator knows it, with the line: "topics.yaml:42: topic …".
  // The learned model is read on the first classification, not before: commands that only list topics skip it.
  return compileTopics(text, basename(path), { model: () => loadFieldModel() });
}
