// The topics edge: reads topics.yaml from disk and compiles it.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { configError } from '../errors.ts';
import { loadFieldModel } from './model.ts';
import { compileTopics, type CompiledTopics } from './rules.ts';

export function loadTopics(path: string): CompiledTopics {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : code === 'EISDIR' ? 'is a directory' : `cannot be read (${code ?? String(err)})`;
    throw configError(`topics file ${path} ${why}; point PAPERBOY_TOPICS at a topics.yaml`);
  }
  // Errors name the file as the operator knows it, with the line: "topics.yaml:42: topic …".
  // The learned model is read on the first classification, not before: commands that only list topics skip it.
  return compileTopics(text, basename(path), { model: () => loadFieldModel() });
}
