// The live-source steps of a run (and of `paperboy fetch` / `enrich`): fetch into seeds/, enrich from arXiv.
import type { App } from '../app.ts';
import { sourceClients } from '../sources/clients.ts';
import { enrichPapers, type EnrichReport } from '../sources/enrich.ts';
import { fetchSources, type FetchReport } from '../sources/fetch.ts';
import type { HttpTiming } from '../sources/http.ts';
import { enrichmentRepo } from '../store/enrichment.ts';
import { fetchStateRepo } from '../store/fetch-state.ts';

export interface SourceStepOptions {
  /** Tests hand in a fake clock and sleeper: arXiv's three seconds then cost nothing. */
  timing?: HttpTiming;
  signal?: AbortSignal;
}

/** Title lookups one run makes at most (three seconds each): a first run over a big archive spreads over days. */
export const RUN_TITLE_LOOKUPS = 100;
/** Papers one run looks up by id at most (20 requests of 50, one minute). */
export const RUN_ID_LOOKUPS = 1000;

export function fetchStep(app: App, date: string, days: number, o: SourceStepOptions = {}): Promise<FetchReport> {
  return fetchSources({
    config: app.config,
    state: fetchStateRepo(app.db),
    clients: sourceClients(app.config, o.timing, o.signal),
    now: app.now,
    date,
    days,
  });
}

export function enrichStep(app: App, o: SourceStepOptions & { titleLimit?: number; idLimit?: number } = {}): Promise<EnrichReport> {
  return enrichPapers({
    papers: app.papers,
    enrichment: enrichmentRepo(app.db),
    client: sourceClients(app.config, o.timing, o.signal).arxiv,
    base: app.config.sources.arxivUrl,
    now: app.now,
    titleLimit: o.titleLimit ?? RUN_TITLE_LOOKUPS,
    idLimit: o.idLimit ?? RUN_ID_LOOKUPS,
  });
}
