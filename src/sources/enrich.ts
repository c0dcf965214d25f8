// arXiv enrichment: papers with an arXiv id in batched id_list calls, the others by exact title; hits and misses cached.
import type { Paper, ParsedPaper } from '../domain.ts';
import { titleKey } from '../paper-ids.ts';
import type { EnrichmentRepo } from '../store/enrichment.ts';
import type { PapersRepo } from '../store/papers.ts';
import { ARXIV_ID_BATCH, arxivByIds, arxivByTitle } from './arxiv.ts';
import type { HttpClient } from './http.ts';

/** A title arXiv did not know is asked again after this many days (it may have been posted since). */
export const RETRY_MISS_DAYS = 7;

export interface EnrichReport {
  byId: { asked: number; found: number; missing: number };
  byTitle: { asked: number; found: number; missing: number };
  /** Papers whose listing already carried arXiv's categories: nothing to ask. */
  alreadyKnown: number;
  /** Found by title, but the arXiv id belongs to another stored paper (the same paper under another title). */
  heldElsewhere: number;
  /** Papers left for the next run (the title budget, or a failure). */
  left: number;
  requests: number;
  error?: string;
}

export interface EnrichOptions {
  papers: PapersRepo;
  enrichment: EnrichmentRepo;
  client: HttpClient;
  base: string;
  now: () => Date;
  /** Title lookups cost one request (three seconds) each: at most this many per call. */
  titleLimit: number;
  /** Papers looked up by id per call (50 a request): a first run over a big archive spreads over days. */
  idLimit?: number;
}

export async function enrichPapers(opts: EnrichOptions): Promise<EnrichReport> {
  const now = opts.now();
  const retryBefore = new Date(now.getTime() - RETRY_MISS_DAYS * 86_400_000).toISOString();
  const pending = opts.enrichment.pending(retryBefore, 100_000);
  const report: EnrichReport = { byId: { asked: 0, found: 0, missing: 0 }, byTitle: { asked: 0, found: 0, missing: 0 }, alreadyKnown: 0, heldElsewhere: 0, left: 0, requests: 0 };
  const withId: Paper[] = [];
  const withoutId: Paper[] = [];
  for (const p of pending) {
    if (p.arxivId && (p.categories?.length ?? 0) > 0) {
      opts.enrichment.found(p.id, p.arxivId, now);
      report.alreadyKnown++;
    } else if (p.arxivId) withId.push(p);
    else withoutId.push(p);
  }
  const titled = withoutId.slice(0, opts.titleLimit);
  const byId = withId.slice(0, opts.idLimit ?? withId.length);
  report.left = withoutId.length - titled.length + withId.length - byId.length;
  try {
    for (let i = 0; i < byId.length; i += ARXIV_ID_BATCH) {
      const batch = byId.slice(i, i + ARXIV_ID_BATCH);
      report.requests++;
      const found = new Map((await arxivByIds(opts.client, opts.base, batch.map((p) => p.arxivId!))).map((r) => [r.arxivId, r]));
      for (const p of batch) {
        report.byId.asked++;
        const hit = found.get(p.arxivId);
        if (hit && apply(opts, p, hit, now)) report.byId.found++;
        else {
          opts.enrichment.missing(p.id, now);
          report.byId.missing++;
        }
      }
    }
    for (const p of titled) {
      report.requests++;
      const want = titleKey(p.title);
      const hit = (await arxivByTitle(opts.client, opts.base, p.title)).find((r) => titleKey(r.title) === want);
      report.byTitle.asked++;
      if (!hit) {
        opts.enrichment.missing(p.id, now);
        report.byTitle.missing++;
      } else if (apply(opts, p, hit, now)) report.byTitle.found++;
      else report.heldElsewhere++;
    }
  } catch (err) {
    if ((err as Error)?.name === 'SqliteError') throw err;
    // What was asked so far is stored; the rest waits for the next run.
    report.error = String((err as Error)?.message ?? err).split('\n')[0];
    report.left = pending.length - report.alreadyKnown - report.byId.asked - report.byTitle.asked - report.heldElsewhere;
  }
  return report;
}

function apply(opts: EnrichOptions, paper: Paper, hit: ParsedPaper, now: Date): boolean {
  const applied = opts.papers.applyArxiv(paper.id, {
    arxivId: hit.arxivId,
    authors: hit.authors,
    publishedAt: hit.publishedAt,
    extra: hit.extra,
    abstract: hit.abstract,
    categories: hit.categories ?? [],
  });
  // Recorded as found either way: a paper whose arXiv id another stored paper holds is not asked again.
  opts.enrichment.found(paper.id, hit.arxivId!, now);
  return applied;
}
