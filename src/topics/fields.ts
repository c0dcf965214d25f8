// A paper's arXiv fields: the categories its source names (they win), else the learned model's reading of its text.
import type { FieldModel, FieldScores } from './model.ts';

/** Computer science and machine learning: the papers the taxonomy is for. */
const IN_SCOPE = /^(?:cs\.|stat\.ML$|eess\.)/;

export interface PaperFields {
  /** `known`: the source's categories decide; `predicted`: the model read the text; `none`: no model, no categories. */
  source: 'known' | 'predicted' | 'none';
  /** The source's categories, primary first (known only). */
  known: string[];
  /** The model's scores (predicted only). */
  scores: FieldScores | null;
  /** A computer-science or machine-learning paper (with `none`, every paper counts as one). */
  inScope: boolean;
  /**
   * Not quite in scope, but a field's score is within NEAR of its threshold: the paper's keywords may then
   * decide (statistics-flavoured ML, "Dropout as a Bayesian Approximation", reads half like stat.ME).
   */
  nearScope: boolean;
  /** Whether the paper is in `category` ("cs.CV", an archive with its dot like "q-bio.", or "*" for any). */
  has(category: string): boolean;
}

/** How far below a field's threshold a paper may score and still count as near it. */
export const NEAR = 1;

const covers = (wanted: string, category: string) => wanted === '*' || wanted === category || (wanted.endsWith('.') && category.startsWith(wanted));

export function paperFields(paper: { title: string; abstract: string; categories?: string[] }, model: FieldModel | null): PaperFields {
  const known = (paper.categories ?? []).filter((c) => c.trim() !== '');
  if (known.length > 0) {
    const inScope = known.some((c) => IN_SCOPE.test(c));
    return { source: 'known', known, scores: null, inScope, nearScope: inScope, has: (c) => known.some((k) => covers(c, k)) };
  }
  if (model === null) return { source: 'none', known, scores: null, inScope: true, nearScope: true, has: (c) => c === '*' };
  const scores = model.scores(paper);
  // Plain loops: this runs for every paper.
  const hitCategories: string[] = [];
  let nearScope = false;
  for (let k = 0; k < model.fields.length; k++) {
    const f = model.fields[k]!;
    if (scores.hit[k]) for (const c of f.categories) hitCategories.push(c);
    if (scores.score[k]! >= f.threshold - NEAR) nearScope = true;
  }
  const has = (c: string) => {
    if (c === '*') return true;
    for (const h of hitCategories) if (covers(c, h)) return true;
    return false;
  };
  return { source: 'predicted', known, scores, inScope: hitCategories.length > 0, nearScope, has };
}

/** Model fields by how far they clear their threshold, best first: which field a paper is most clearly in. */
export function rankedFields(model: FieldModel, scores: FieldScores): number[] {
  return model.fields
    .map((f, k) => k)
    .sort((a, b) => scores.score[b]! - model.fields[b]!.threshold - (scores.score[a]! - model.fields[a]!.threshold) || a - b);
}
