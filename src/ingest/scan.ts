// The ingest edge: finds seed files whose content hash is new, parses them and stores them file by file.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, type Stats } from 'node:fs';
import { join, relative } from 'node:path';
import type { ParseProblem } from '../domain.ts';
import { PaperboyError } from '../errors.ts';
import type { PapersRepo } from '../store/papers.ts';
import { decodeSeedWithNote, MAX_SEED_BYTES } from './decode.ts';
import { printable } from './normalize.ts';
import { checkParsed, streamSeed, type SeedStream } from './parse.ts';

export interface FileReport {
  path: string;
  status: 'ingested' | 'rejected' | 'known';
  format?: string;
  reason?: string;
  parsed?: number;
  new?: number;
  duplicate?: number;
  problems?: ParseProblem[];
  /** How the file's bytes were read when they were not all valid text (where the first bad one is); else absent. */
  decoding?: string;
  /** Papers kept but in doubt (an abstract that may be cut off), by line: stored with the doubt, repaired by a later listing. */
  flagged?: ParseProblem[];
}

export interface IngestReport {
  seedsDir: string;
  filesSeen: number;
  filesIngested: number;
  filesRejected: number;
  filesKnown: number;
  papersParsed: number;
  papersNew: number;
  papersDuplicate: number;
  files: FileReport[];
}

export interface IngestOptions {
  seedsDir: string;
  papers: PapersRepo;
  now: () => Date;
  /** Called before each file, for progress display. */
  onFile?: (index: number, total: number, path: string) => void;
}

/** Regular, non-hidden files under the seeds folder and its subfolders, sorted by path. */
export function listSeedFiles(seedsDir: string): string[] {
  let root: Stats;
  try {
    root = statSync(seedsDir);
    readdirSync(seedsDir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return [];
    throw new PaperboyError('CONFIG', `seeds folder ${seedsDir} cannot be read: ${code ?? String(err)}`);
  }
  const files: string[] = [];
  // Each folder once, by device and inode: a link back to the seeds folder (or two of them) made readdir's own
  // recursion walk every path through the loop, 2^40 of them with two links (ingest never finished).
  walk(seedsDir, new Set([`${root.dev}:${root.ino}`]), files);
  return files.sort();
}

function walk(dir: string, seen: Set<string>, files: string[]): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return; // a subfolder that vanished or cannot be read: nothing to ingest there
  }
  for (const name of names) {
    if (name.startsWith('.')) continue;
    const path = join(dir, name);
    let stat: Stats;
    try {
      stat = statSync(path);
    } catch {
      continue; // vanished or a dangling link
    }
    if (stat.isFile()) files.push(path);
    else if (stat.isDirectory() && !seen.has(`${stat.dev}:${stat.ino}`)) {
      seen.add(`${stat.dev}:${stat.ino}`);
      walk(path, seen, files);
    }
  }
}

export function ingestSeeds(opts: IngestOptions): IngestReport {
  const files = listSeedFiles(opts.seedsDir);
  const report: IngestReport = {
    seedsDir: opts.seedsDir,
    filesSeen: files.length,
    filesIngested: 0,
    filesRejected: 0,
    filesKnown: 0,
    papersParsed: 0,
    papersNew: 0,
    papersDuplicate: 0,
    files: [],
  };
  files.forEach((full, index) => {
    const path = relative(opts.seedsDir, full);
    opts.onFile?.(index, files.length, path);
    const fileReport = ingestOne(full, path, opts);
    report.files.push(fileReport);
    if (fileReport.status === 'known') report.filesKnown++;
    else if (fileReport.status === 'rejected') report.filesRejected++;
    else {
      report.filesIngested++;
      report.papersParsed += fileReport.parsed ?? 0;
      report.papersNew += fileReport.new ?? 0;
      report.papersDuplicate += fileReport.duplicate ?? 0;
    }
  });
  return report;
}

function ingestOne(full: string, path: string, opts: IngestOptions): FileReport {
  let size: number;
  let bytes: Buffer | null;
  try {
    size = statSync(full).size;
    // Refuse before reading: an absurdly large file must not take the process's memory with it.
    bytes = size > MAX_SEED_BYTES ? null : readFileSync(full);
  } catch (err) {
    // Unreadable (permissions) or gone since the listing: report it, but record no hash, so it is tried
    // again on the next run once it can be read.
    const e = err as NodeJS.ErrnoException;
    return { path, status: 'rejected', reason: `cannot be read: ${e.code ?? e.message}` };
  }
  const sha256 = bytes
    ? createHash('sha256').update(bytes).digest('hex')
    : createHash('sha256').update(`oversize:${path}:${size}`).digest('hex');
  if (opts.papers.knownHash(sha256)) return { path, status: 'known' };
  const ingestedAt = opts.now().toISOString();
  const reject = (err: unknown): FileReport => {
    // Any failure while reading a hostile file rejects that file only; store errors still propagate.
    const message = err instanceof PaperboyError ? err.message : `parser failed: ${(err as Error).message}`;
    const reason = printable(message.split('\n')[0]!).slice(0, 300);
    opts.papers.recordRejected({ path, sha256, size, format: null, reason, papersParsed: 0, problems: [], ingestedAt });
    return { path, status: 'rejected', reason };
  };
  let stream: SeedStream;
  let decoding: string | null;
  try {
    if (!bytes) throw new PaperboyError('SEED_REJECTED', `file too large: ${size} bytes (limit ${MAX_SEED_BYTES})`);
    const decoded = decodeSeedWithNote(bytes);
    decoding = decoded.note;
    stream = streamSeed(decoded.text);
  } catch (err) {
    return reject(err);
  }
  const flagged: ParseProblem[] = [];
  const papers = stream.papers;
  function* noting() {
    for (const p of papers) {
      // In a file read leniently, U+FFFD in a title is a character the file lost (bytes that were not text): stored,
      // the wrong title would become the paper's identity, and the right one from a later listing a second paper.
      // A U+FFFD the source wrote itself (valid UTF-8, JSON "\ufffd") is only dropped, as in any text. A broken
      // abstract is kept.
      if (decoding !== null && p.titleHadFFFD) {
        stream.problems.push({ line: p.line, message: 'title holds a character that could not be decoded (U+FFFD); paper skipped' });
        continue;
      }
      if (p.doubt) flagged.push({ line: p.line, message: p.doubt });
      yield p;
    }
  }
  try {
    // The problems array fills while the stream is consumed inside the transaction.
    // The decoding note is kept with the file (its reason), so it can be read after the run too.
    const counts = opts.papers.ingestFile({ path, sha256, size, format: stream.format, reason: decoding, problems: stream.problems, ingestedAt }, noting(), (parsed) =>
      checkParsed(stream.format, parsed, stream.problems, stream.certain()),
    );
    return { path, status: 'ingested', format: stream.format, ...counts, problems: stream.problems, ...(decoding ? { decoding } : {}), ...(flagged.length ? { flagged } : {}) };
  } catch (err) {
    if ((err as Error)?.name === 'SqliteError') throw err;
    return reject(err);
  }
}
