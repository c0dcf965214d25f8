// Files written whole (temp file + rename) and the temp files of writers killed between the two, swept away.
import { readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Writes `content` to `path` so a reader sees the old file or the new one, never half of one: a temp file
 * `<name>.<pid>.tmp` beside it (`.<name>.<pid>.tmp` with `hidden`, for folders whose readers skip dotfiles), then a
 * rename. A failed write removes its temp file; a killed one leaves it for removeDeadTemps.
 */
export function writeWhole(path: string, content: string | Buffer, opts: { hidden?: boolean } = {}): void {
  const tmp = join(dirname(path), `${opts.hidden ? '.' : ''}${basename(path)}.${process.pid}.tmp`);
  try {
    writeFileSync(tmp, content);
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

/**
 * Removes the temp files writeWhole's writers left when they were killed between write and rename (a torn copy
 * that would stay beside the whole file for good, and an rsync of the folder would publish). A temp file whose
 * writer is still running (another process writing there now) is left alone.
 */
export function removeDeadTemps(dir: string, opts: { recursive?: boolean } = {}): void {
  let names: string[];
  try {
    names = readdirSync(dir, { recursive: opts.recursive ?? false, encoding: 'utf8' });
  } catch {
    return; // no folder yet
  }
  for (const name of names) {
    const pid = /\.(\d+)\.tmp$/.exec(name)?.[1];
    if (pid && !processAlive(Number(pid))) rmSync(join(dir, name), { force: true });
  }
}

function processAlive(pid: number): boolean {
  // This process writes synchronously, so a temp file with its pid is an earlier process's that had the same pid.
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // running, as another user
  }
}
