// `paperboy run`: one whole run and its report, for people (where things landed) and for scripts (--json).
import { relative } from 'node:path';
import type { App } from '../app.ts';
import { PaperboyError } from '../errors.ts';
import { runOnce, type RunReport } from '../schedule/run.ts';
import { formatIngestReport } from './ingest.ts';
import { formatEnrichReport, formatFetchReport } from '../sources/report.ts';
import { progressMode } from '../progress.ts';
import { withStopSignal } from './stop-signal.ts';

export function runCommand(app: App, o: { date?: string; send: boolean; json: boolean }): Promise<RunReport> {
  return withStopSignal((signal) => runOnce(app, { date: o.date, send: o.send, trigger: 'cli', signal, progress: progressMode(o.json) }));
}

/** A paused delivery is the one run outcome that exits non-zero (after the report is printed). */
export function pausedError(report: RunReport): PaperboyError | null {
  const d = report.delivery;
  return 'paused' in d && d.paused ? new PaperboyError('PAUSED', `delivery paused: ${d.pauseReason ?? 'too many consecutive failures'}`) : null;
}

export function formatRunReport(r: RunReport, cwd = process.cwd()): string {
  const rel = (p: string) => {
    const r2 = relative(cwd, p);
    return r2.startsWith('..') ? p : r2;
  };
  const lines: string[] = [`paperboy run for ${r.date} (${r.trigger}) — ${(r.durationMs / 1000).toFixed(1)} s`, ''];
  if (r.fetch) lines.push(formatFetchReport(r.fetch), '');
  lines.push(formatIngestReport(r.ingest), '');
  if (r.enrich) lines.push(formatEnrichReport(r.enrich), '');
  const e = r.edition;
  if (e.status === 'published') {
    const how = e.created
      ? ''
      : e.added > 0
        ? ` (${e.added} added on this run; nothing had been sent for it)`
        : e.waiting > 0
          ? ` (went out earlier; ${e.waiting} new papers wait for the next edition, and are in the feeds and on the site now)`
          : ' (already built earlier; nothing added)';
    lines.push(`edition ${e.id}: ${e.papers} papers${how}`);
    lines.push(`  topics: ${e.topics.map((t) => `${t.slug} ${t.count}`).join(', ')}`);
    if (e.trending.length) lines.push(`  trending: ${e.trending.join(', ')}`);
  } else {
    lines.push(`edition ${e.id}: empty — ${e.reason}; nothing is sent for it`);
  }
  lines.push('');
  lines.push(`feeds:    ${rel(r.site.dir)}/feeds/ (all.xml, one per topic, editions.xml, OPML)`);
  lines.push(`archive:  ${rel(r.site.dir)}/index.html and ${rel(r.site.dir)}/archive/`);
  lines.push(`          ${r.site.written.length} files written, ${r.site.unchanged} unchanged${r.site.kept.length ? `, kept (would have been empty): ${r.site.kept.join(', ')}` : ''}`);
  if (r.preview) {
    lines.push(`preview:  ${rel(r.preview.html)} (${Math.round(r.preview.htmlBytes / 1024)} KB), ${rel(r.preview.text)}, ${rel(r.preview.eml)}`);
    lines.push(`          subject: ${r.preview.subject}`);
  }
  lines.push(`delivery: ${formatDeliveryLine(r)}`);
  if (r.warnings.length) {
    lines.push('', 'warnings:');
    for (const w of r.warnings) lines.push(`  ! ${w}`);
  }
  return lines.join('\n');
}

function formatDeliveryLine(r: RunReport): string {
  const d = r.delivery;
  if ('summary' in d) return d.summary;
  return `skipped — ${d.skipped}`;
}
