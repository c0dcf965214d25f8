// `paperboy ingest` and `paperboy papers`: run an ingest and print its report; list stored papers.
import type { App } from '../app.ts';
import { ingestSeeds, type IngestReport } from '../ingest/scan.ts';
import { progress, type ProgressMode } from '../progress.ts';

export function runIngest(app: App, mode: ProgressMode, retryRejected = false): IngestReport {
  // Rejections are remembered by hash so bad bytes are not re-read every run; this lets them be tried again.
  if (retryRejected) app.papers.forgetRejected();
  const bar = progress('ingest', mode);
  try {
    return ingestSeeds({
      seedsDir: app.config.seedsDir,
      papers: app.papers,
      now: app.now,
      onFile: (i, total, path) => bar.update(i, total, path),
    });
  } finally {
    bar.stop();
  }
}

export function formatIngestReport(r: IngestReport): string {
  const lines = [
    `seed files: ${r.filesSeen} seen, ${r.filesIngested} ingested, ${r.filesKnown} already known, ${r.filesRejected} rejected  (${r.seedsDir})`,
    `papers:     ${r.papersParsed} parsed, ${r.papersNew} new, ${r.papersDuplicate} duplicate`,
  ];
  for (const f of r.files) {
    if (f.status === 'rejected') lines.push(`  rejected  ${f.path}: ${f.reason}`);
    else if (f.status === 'ingested') {
      lines.push(`  ingested  ${f.path} (${f.format}): ${f.parsed} papers, ${f.new} new, ${f.duplicate} duplicate`);
      if (f.decoding) lines.push(`            read leniently: ${f.decoding}`);
      for (const p of (f.problems ?? []).slice(0, 5)) lines.push(`            skipped line ${p.line}: ${p.message}`);
      const more = (f.problems?.length ?? 0) - 5;
      if (more > 0) lines.push(`            … and ${more} more skipped entries`);
      for (const p of f.flagged ?? []) lines.push(`            kept in doubt, line ${p.line}: ${p.message}`);
    }
  }
  if (r.filesSeen === 0) lines.push(`  no seed files in ${r.seedsDir}`);
  return lines.join('\n');
}
