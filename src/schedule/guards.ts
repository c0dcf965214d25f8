// Run guards: warn when new seed files hold far fewer papers than usual (a partial download, a changed page).
import type { IngestReport } from '../ingest/scan.ts';
import type { SeedFileRecord } from '../store/papers.ts';

/** A new file with under a quarter of the usual papers per file is suspicious, but still ingested. */
const LOW_FRACTION = 0.25;
/** Too little history says nothing about "usual". */
const MIN_HISTORY = 3;

// Files `paperboy fetch` wrote (hf/…, arxiv-<category>/…) were checked whole before they were written, and a day
// that Hugging Face is still filling is small on purpose: they neither set "usual" nor get warned about.
const FETCHED = /^(?:hf|arxiv-[^/\\]+)[/\\]/;

export function lowVolumeWarning(report: IngestReport, history: SeedFileRecord[]): string | null {
  const usual = history.filter((s) => s.status === 'ingested' && !FETCHED.test(s.path)).map((s) => s.papersParsed);
  if (usual.length < MIN_HISTORY) return null;
  const median = [...usual].sort((a, b) => a - b)[Math.floor(usual.length / 2)]!;
  const low = report.files.filter((f) => f.status === 'ingested' && !FETCHED.test(f.path) && (f.parsed ?? 0) < median * LOW_FRACTION);
  if (low.length === 0) return null;
  const list = low.map((f) => `${f.path} (${f.parsed})`).join(', ');
  return `new seed file(s) hold far fewer papers than usual (median ${median} per file): ${list} — a partial download? Ingested anyway.`;
}
