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

/** Shared by every paper without categories (most): frozen, as no reader may add to it. */
const NO_CATEGORIES: string[] = Object.freeze([]) as unknown as string[];

/** How far below a field's threshold a paper may score and still count as near it. */
export const NEAR = 1;

const covers = (wanted: string, category: string) => wanted === '*' || wanted === category || (wanted.endsWith('.') && category.startsWith(wanted));

export function paperFields(paper: { title: string; abstract: string; categories?: string[] }, model: FieldModel | null): PaperFields {
  const known = paper.categories == null ? NO_CATEGORIES : paper.categories.filter((c) => c.trim() !== '');
  if (known.length > 0) {
    const inScope = known.some((c) => IN_SCOPE.test(c));
    return { source: 'known', known, scores: null, inScope, nearScope: inScope, has: (c) => known.some((k) => covers(c, k)) };
  }
  if (model === null) return { source: 'none', known, scores: null, inScope: true, nearScope: true, has: (c) => c === '*' };
  const scores = model.scores(paper);
  // Plain loops and a bit per field: this runs for every paper, and has() for most topics of each.
  const fieldCount = model.fields.length;
  let hitMask = 0;
  let inScope = false;
  let nearScope = false;
  for (let k = 0; k < fieldCount; k++) {
    const f = model.fields[k]!;
    if (scores.hit[k]) {
      if (k < 31) hitMask |= 1 << k;
      if (f.categories.length > 0) inScope = true;
    }
    if (scores.score[k]! >= f.threshold - NEAR) nearScope = true;
  }
  const masks = fieldMasks(model);
  const has =
    fieldCount <= 31
      ? (c: string) => c === '*' || (maskOf(masks, model, c) & hitMask) !== 0
      : (c: string) => c === '*' || model.fields.some((f, k) => scores.hit[k] && f.categories.some((h) => covers(c, h)));
  return { source: 'predicted', known, scores, inScope, nearScope, has };
}

const masksOf = new WeakMap<FieldModel, Map<string, number>>();

function fieldMasks(model: FieldModel): Map<string, number> {
  let masks = masksOf.get(model);
  if (!masks) masksOf.set(model, (masks = new Map()));
  return masks;
}

/** The model's fields (a bit each) with a category that `c` covers; memoized, topics name few categories. */
function maskOf(masks: Map<string, number>, model: FieldModel, c: string): number {
  let mask = masks.get(c);
  if (mask === undefined) {
    mask = 0;
    model.fields.forEach((f, k) => {
      if (f.categories.some((h) => covers(c, h))) mask! |= 1 << k;
    });
    masks.set(c, mask);
  }
  return mask;
}

/** Model fields by how far they clear their threshold, best first: which field a paper is most clearly in. */
export function rankedFields(model: FieldModel, scores: FieldScores): number[] {
  return model.fields
    .map((f, k) => k)
    .sort((a, b) => scores.score[b]! - model.fields[b]!.threshold - (scores.score[a]! - model.fields[a]!.threshold) || a - b);
}
