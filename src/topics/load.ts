// The topics edge: reads topics.yaml from disk and compiles it.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { configError } from '../errors.ts';
import { compileTopics, type CompiledTopics } from './rules.ts';

export function loadTopics(path: string): CompiledTopics {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw configError(`topics file ${path} cannot be read (${(err as NodeJS.ErrnoException).code ?? err}); set PAPERBOY_TOPICS`);
  }
  return compileTopics(text, basename(path));
}
