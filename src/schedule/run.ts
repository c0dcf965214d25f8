// One whole run: ingest → edition → feeds + archive → preview → delivery, under a lease, as a RunReport.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { App } from '../app.ts';
import { localDate } from '../clock.ts';
import type { Edition } from '../domain.ts';
import { primaryCounts } from '../edition/build.ts';
import { publishEdition } from '../edition/publish.ts';
import { ingestSeeds, type IngestReport } from '../ingest/scan.ts';
import { deliveriesRepo } from '../store/deliveries.ts';
import { holdRunLease } from '../store/leases.ts';
import { runsRepo, type RunTrigger } from '../store/runs.ts';
import { lowVolumeWarning } from './guards.ts';
import { publishSite, type SiteReport } from './site-step.ts';
import type { PreviewReport } from './preview-step.ts';
import type { DeliveryStepReport } from './deliver-step.ts';
import { progress, type ProgressMode } from '../progress.ts';
import type { EnrichReport } from '../sources/enrich.ts';
import type { FetchReport } from '../sources/fetch.ts';
import type { HttpTiming } from '../sources/http.ts';


export interface RunOptions {
  date?: string;
  send: boolean;
  trigger: RunTrigger;
  /** A bar on a terminal, plain lines for logs (cron), or nothing (the daemon, tests: the default). */
  progress?: ProgressMode;
  signal?: AbortSignal;
  /** The clock and sleeper of source requests (tests: fake ones, so arXiv's spacing costs no real time). */
  sourceTiming?: HttpTiming;
}

export interface RunReport {
  date: string;
  trigger: RunTrigger;
  startedAt: string;
  durationMs: number;
  /** Live sources fetched into the seeds folder; null when none are configured (offline). */
  fetch: FetchReport | null;
  ingest: IngestReport;
  /** arXiv enrichment; null unless PAPERBOY_ENRICH=arxiv. */
  enrich: EnrichReport | null;
  warnings: string[];
  edition: {
    id: string;
    status: Edition['status'];
    reason: string | null;
    created: boolean;
    /** Papers added to the date's edition on this run after it was first built (nothing had been sent for it). */
    added: number;
    /** New papers that wait for the next edition because this date's edition already went out. */
    waiting: number;
    papers: number;
    topics: { slug: string; count: number }[];
    trending: string[];
  };
  site: SiteReport;
  preview: PreviewReport | null;
  delivery: DeliveryStepReport;
}

export async function runOnce(app: App, opts: RunOptions): Promise<RunReport> {
  const started = app.now();
  const date = opts.date ?? localDate(started, app.config.tz);
  // The same lease `paperboy send` takes: a run and a send never deliver at once.
  const release = holdRunLease(app.db, 'run', app.now);
  const runs = runsRepo(app.db);
  try {
    // Inside the try: if even this fails, the lease is released.
    const runId = runs.start(date, opts.trigger, started);
    const mode: ProgressMode = opts.progress ?? 'off';
    // Sources only when configured: without them a run never touches the network. A source that fails is a line.
    const { sources } = app.config;
    const step = { timing: opts.sourceTiming, signal: opts.signal };
    const fetch = sources.list.length ? await (await import('./sources-step.ts')).fetchStep(app, date, sources.days, step) : null;
    const bar = progress('ingest', mode);
    const history = app.papers.seedFiles();
    const ingest = ingestSeeds({ seedsDir: app.config.seedsDir, papers: app.papers, now: app.now, onFile: (i, n, p) => bar.update(i, n, p) });
    bar.stop();
    const enrich = sources.enrich ? await (await import('./sources-step.ts')).enrichStep(app, step) : null;
    const warnings: string[] = [];
    warnings.push(...(fetch?.warnings ?? []));
    for (const d of fetch?.days ?? []) if (d.status === 'failed') warnings.push(`source ${d.source} ${d.date} failed: ${d.error}`);
    if (enrich?.error) warnings.push(`arXiv enrichment stopped (the rest waits for the next run): ${enrich.error}`);
    const low = lowVolumeWarning(ingest, history);
    if (low) warnings.push(low);
    for (const f of ingest.files) if (f.status === 'rejected') warnings.push(`seed file ${f.path} rejected: ${f.reason}`);
    for (const f of ingest.files) if (f.decoding) warnings.push(`seed file ${f.path}: ${f.decoding}`);
    for (const f of ingest.files) for (const d of f.flagged ?? []) warnings.push(`seed file ${f.path}: the paper on line ${d.line} is kept in doubt: ${d.message}`);

    // An edition for a date before the newest one takes every paper no edition holds yet, out of date order.
    const known = app.editions.list().map((e) => e.id); // newest first
    const newest = known[0];
    if (newest !== undefined && date < newest && !known.includes(date)) {
      warnings.push(`building ${date}, which is before the newest edition (${newest}): it takes the papers no edition holds yet`);
    }
    const classifier = app.classifier();
    const ledger = deliveriesRepo(app.db);
    const sent = (id: string) => Object.values(ledger.counts(id)).some((n) => n > 0);
    const { edition, created, added, waiting } = publishEdition({ papers: app.papers, editions: app.editions, classifier, now: app.now, sent }, date);
    if (edition.status === 'empty') warnings.push(`edition ${edition.id} is empty (${edition.reason}): nothing will be sent for it`);
    if (waiting > 0) {
      warnings.push(`${waiting} new papers arrived after edition ${edition.id} went out: they are in the feeds and on the site now, and in the next edition's email`);
    }

    const site = await publishSite(app);
    // MJML and nodemailer load only when there is something to render or send: a no-op run stays quick.
    // Also when the preview is not there: a run killed after building the edition never wrote it, and the next finds nothing new.
    const previewDue = created || added > 0 || !existsSync(join(app.config.previewDir, `${edition.id}.eml`));
    const preview = edition.status === 'published' && previewDue ? await (await import('./preview-step.ts')).writePreview(app, edition) : null;
    // The digests its delivery sends, rendered once for the edition and stored (kept while nothing they are made
    // from changes), so the send, now or a later `paperboy send`, builds messages without MJML. Before any of the
    // edition went out: after that, the ledger's leftovers use what was stored then, or render.
    if (edition.status === 'published' && !sent(edition.id) && app.subscribers.countActive() > 0) {
      try {
        await (await import('../deliver/digest-parts.ts')).prepareDigestParts(app, edition.id);
      } catch (err) {
        // Only a head start: the send renders what is not stored (and reports a render that fails there).
        warnings.push(`the digests of ${edition.id} could not be rendered ahead (the send renders them): ${(err as Error)?.message ?? String(err)}`);
      }
    }
    const delivery: DeliveryStepReport = !opts.send
      ? { skipped: 'sending disabled (--no-send)', disabled: true as const }
      : app.subscribers.countActive() === 0
        ? { skipped: 'no active subscribers' }
        : // Earlier editions' leftovers (a crash, a pause, a SIGTERM) first, then today's.
          await (await import('./deliver-step.ts')).deliverStep(app, { date, resumeEarlier: true, signal: opts.signal, progress: mode });

    const counts = primaryCounts(edition.papers);
    const report: RunReport = {
      date,
      trigger: opts.trigger,
      startedAt: started.toISOString(),
      durationMs: app.now().getTime() - started.getTime(),
      fetch,
      ingest,
      enrich,
      warnings,
      edition: {
        id: edition.id,
        status: edition.status,
        reason: edition.reason,
        created,
        added,
        waiting,
        papers: edition.papers.length,
        topics: [...counts].map(([slug, count]) => ({ slug, count })).sort((a, b) => b.count - a.count || a.slug.localeCompare(b.slug)),
        trending: edition.trending.map((t) => t.phrase),
      },
      site,
      preview,
      delivery,
    };
    runs.finish(runId, app.now(), report);
    return report;
  } finally {
    release();
  }
}
