// The build's fingerprint of its inputs: every file under src/ and the tsconfigs, by path, size and mtime.
// bin/paperboy.js compares it with dist/.source-stamp to run dist/ only when it was built from the sources as they are.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const STAMP_FILE = '.source-stamp';

/** One line per input file; any edit, new or deleted file (even one set back to an older mtime) changes it. */
export function sourceStamp(root) {
  const files = readdirSync(join(root, 'src'), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath ?? e.path, e.name).slice(root.length + 1))
    .concat(['tsconfig.json', 'tsconfig.build.json'])
    .sort();
  return files
    .map((f) => {
      const s = statSync(join(root, f), { throwIfNoEntry: false });
      return s ? `${f} ${s.size} ${s.mtimeMs}` : `${f} -`;
    })
    .join('\n');
}
