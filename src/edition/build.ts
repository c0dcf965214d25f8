// Pure edition building: new papers + a classifier → the edition's ordered papers.
import type { Classification, Edition, EditionPaper, Paper, TrendingKeyword } from '../domain.ts';

/** Upvotes first (unknown last), then title: the order readers see in every section. */
export function byReaderInterest(a: EditionPaper, b: EditionPaper): number {
  const ua = a.paper.upvotes ?? -1;
  const ub = b.paper.upvotes ?? -1;
  if (ua !== ub) return ub - ua;
  return a.paper.title.localeCompare(b.paper.title, 'en') || a.paper.id.localeCompare(b.paper.id);
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
