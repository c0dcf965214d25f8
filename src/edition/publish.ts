// Builds and stores the edition for a date from the papers no edition holds yet; idempotent per date.
import type { Classification, Edition, Paper, TrendingKeyword } from '../domain.ts';
import type { EditionsRepo } from '../store/editions.ts';
import type { PapersRepo } from '../store/papers.ts';
import { planEdition } from './build.ts';

/** What publishing needs from the topics module; app.ts builds it from topics.yaml. */
export interface Classifier {
  classify(paper: { title: string; abstract: string }): Classification;
  trending(edition: Paper[], history: Paper[]): TrendingKeyword[];
}

export interface PublishResult {
  edition: Edition;
  /** False when the edition for the date already existed and nothing was added. */
  created: boolean;
  /** Papers this call added to an edition that was already published (it grew: nothing was sent for it yet). */
  added: number;
  /** Papers no edition holds after this call: they arrived after the date's edition went out and wait for the next one. */
  waiting: number;
}

export interface PublishDeps {
  papers: PapersRepo;
  editions: EditionsRepo;
  classifier: Classifier;
  now: () => Date;
  /** Whether any digest of the edition was queued or sent: from then on it is what subscribers got, and it stays so. */
  sent: (editionId: string) => boolean;
}

/**
 * The edition for `date`. Papers that arrive later the same day join it while nothing has been sent for it
 * (an empty edition, or one built by a `--no-send` run or before anyone was due); once a digest of it went
 * out, they wait for the next edition (the next run's date), and reach the feeds and the site meanwhile.
 */
export function publishEdition(deps: PublishDeps, date: string): PublishResult {
  const existing = deps.editions.get(date);
  const fresh = deps.papers.unpublished();
  if (existing && (fresh.length === 0 || (existing.status === 'published' && deps.sent(date)))) {
    return { edition: existing, created: false, added: 0, waiting: fresh.length };
  }
  const had = existing?.papers.map((ep) => ep.paper) ?? [];
  const all = [...had, ...fresh];
  const history = fresh.length > 0 ? deps.papers.list().filter((p) => p.editionId !== null && p.editionId !== date) : [];
  const edition = planEdition({
    id: date,
    createdAt: existing?.createdAt ?? deps.now().toISOString(),
    papers: fresh,
    classify: (p) => deps.classifier.classify(p),
    // Trending words of the whole (grown) edition.
    trending: fresh.length > 0 ? deps.classifier.trending(all, history) : [],
    emptyReason: deps.papers.seedFiles().length === 0 ? 'no seed files' : 'nothing new in the seeds',
  });
  const saved = deps.editions.save(edition);
  const grew = existing?.status === 'published';
  return { edition: saved, created: !grew, added: grew ? saved.papers.length - had.length : 0, waiting: 0 };
}
