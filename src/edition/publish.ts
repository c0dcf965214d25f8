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
}

export function publishEdition(deps: { papers: PapersRepo; editions: EditionsRepo; classifier: Classifier; now: () => Date }, date: string): PublishResult {
  const existing = deps.editions.get(date);
  if (existing?.status === 'published') return { edition: existing, created: false };
  const fresh = deps.papers.unpublished();
  // An empty edition sent nothing, so papers that arrive later the same day may still fill it.
  if (existing && fresh.length === 0) return { edition: existing, created: false };
  const history = fresh.length > 0 ? deps.papers.list().filter((p) => p.editionId !== null) : [];
  const edition = planEdition({
    id: date,
    createdAt: existing?.createdAt ?? deps.now().toISOString(),
    papers: fresh,
    classify: (p) => deps.classifier.classify(p),
    trending: fresh.length > 0 ? deps.classifier.trending(fresh, history) : [],
    emptyReason: deps.papers.seedFiles().length === 0 ? 'no seed files' : 'nothing new in the seeds',
  });
  return { edition: deps.editions.save(edition), created: true };
}
