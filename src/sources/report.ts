// The fetch and enrichment reports as lines for people (cheap to import: the run report prints them).
import type { EnrichReport } from './enrich.ts';
import type { FetchReport } from './fetch.ts';

/** The report as lines: one per source and day, failures first-class. */
export function formatFetchReport(r: FetchReport): string {
  const lines = r.days.map((d) => {
    const what =
      d.status === 'failed'
        ? `FAILED: ${d.error}`
        : d.status === 'empty'
          ? 'no papers (yet)'
          : `${d.papers} papers, ${d.status === 'written' ? `wrote ${d.written.join(', ')}` : 'unchanged'}${d.notModified ? ` (${d.notModified} not modified)` : ''}`;
    return `  ${d.source.padEnd(16)} ${d.date}  ${what}`;
  });
  lines.unshift(`fetch: ${r.days.length} source-days, ${r.filesWritten} seed files written, ${r.failed} failed`);
  for (const w of r.warnings) lines.push(`  ! ${w}`);
  return lines.join('\n');
}

export function formatEnrichReport(r: EnrichReport): string {
  const lines = [
    `enrich: by id ${r.byId.found} of ${r.byId.asked} found, by title ${r.byTitle.found} of ${r.byTitle.asked} found` +
      `${r.alreadyKnown ? `, ${r.alreadyKnown} already complete` : ''}${r.heldElsewhere ? `, ${r.heldElsewhere} matched a paper stored under another title` : ''}` +
      ` (${r.requests} requests)${r.left ? `; ${r.left} left for the next run` : ''}`,
  ];
  if (r.error) lines.push(`  FAILED: ${r.error}`);
  return lines.join('\n');
}
