// Pure edition building: new papers + a classifier → the edition's ordered papers.
import type { Classification, Edition, EditionPaper, Paper, TrendingKeyword } from '../domain.ts';

// The order lives below the store, which reads editions back in it.
import { byReaderInterest } from '../reader-order.ts';

/** Papers per primary topic ("other" included): the edition's shape in the run report and the archive index. */
export function primaryCounts(papers: readonly EditionPaper[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const ep of papers) counts.set(ep.classification.primary, (counts.get(ep.classification.primary) ?? 0) + 1);
  return counts;
}

export interface EditionPlan {
  id: string;
  createdAt: string;
  papers: Paper[];
  classify: (paper: Paper) => Classification;
  trending: TrendingKeyword[];
  /** Why the edition is empty, when papers is empty. */
  emptyReason: string;
}

export function planEdition(plan: EditionPlan): Edition {
  const papers = plan.papers.map((paper) => ({ paper: { ...paper, editionId: plan.id }, classification: plan.classify(paper) })).sort(byReaderInterest);
  return {
    id: plan.id,
    status: papers.length > 0 ? 'published' : 'empty',
    reason: papers.length > 0 ? null : plan.emptyReason,
    createdAt: plan.createdAt,
    papers,
    trending: papers.length > 0 ? plan.trending : [],
  };
}
