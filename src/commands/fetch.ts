// `paperboy fetch` and `paperboy enrich`: the live-source steps on their own, with a report.
import type { App } from '../app.ts';
import { localDate } from '../clock.ts';
import { enrichStep, fetchStep } from '../schedule/sources-step.ts';
import type { EnrichReport } from '../sources/enrich.ts';
import type { FetchReport } from '../sources/fetch.ts';
import { formatEnrichReport, formatFetchReport } from '../sources/report.ts';

export async function fetchCommand(app: App, o: { date?: string; days?: number }): Promise<FetchReport | null> {
  if (app.config.sources.list.length === 0) return null;
  const date = o.date ?? localDate(app.now(), app.config.tz);
  return fetchStep(app, date, o.days ?? app.config.sources.days);
}

export function formatFetch(r: FetchReport | null): string {
  return r ? formatFetchReport(r) : 'no sources configured (PAPERBOY_SOURCES is empty): nothing fetched; paperboy reads only the seeds folder';
}

/** Without a limit the command looks up every paper that needs it: the operator asked for it explicitly. */
export function enrichCommand(app: App, o: { limit?: number }): Promise<EnrichReport> {
  return enrichStep(app, { titleLimit: o.limit ?? Number.MAX_SAFE_INTEGER, idLimit: Number.MAX_SAFE_INTEGER });
}

export { formatEnrichReport };
