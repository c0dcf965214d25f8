// A per-reader linear model on TF-IDF (logistic regression, as arxiv-sanity's per-user SVM): liked papers against
// disliked ones and the rest of the edition, trained in a few deterministic passes.

import type { Sparse } from './corpus.ts';

export interface LinearModel {
  score(v: Sparse): number;
}

/** Marked papers (likes and dislikes together) before a model replaces the liked papers' centroid. */
export const MIN_FOR_MODEL = 6;
const EPOCHS = 12;
const RATE = 0.5;
const L2 = 1e-3;
/** The unmarked papers of the edition are weak negatives: most of them are not what the reader wants. */
const BACKGROUND_WEIGHT = 0.15;

/** `w`: a zeroed dense vector over the corpus vocabulary, which the weights are trained into (the caller lends and zeroes it). */
export function trainModel(liked: Sparse[], disliked: Sparse[], background: Sparse[], w: Float64Array): LinearModel {
  let bias = 0;
  const examples: { v: Sparse; y: number; weight: number }[] = [
    ...liked.map((v) => ({ v, y: 1, weight: Math.max(1, (background.length * BACKGROUND_WEIGHT) / Math.max(1, liked.length) / 2) })),
    ...disliked.map((v) => ({ v, y: 0, weight: 1 })),
    ...background.map((v) => ({ v, y: 0, weight: BACKGROUND_WEIGHT })),
  ];
  const predict = (v: Sparse) => {
    let z = bias;
    for (let i = 0; i < v.ids.length; i++) z += w[v.ids[i]!]! * v.w[i]!;
    return z;
  };
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    const rate = RATE / (1 + epoch);
    // A fixed, interleaved order (no randomness): the same feedback always trains the same model.
    for (let i = 0; i < examples.length; i++) {
      const e = examples[(i * 7919) % examples.length]!;
      const p = 1 / (1 + Math.exp(-predict(e.v)));
      const g = (p - e.y) * e.weight * rate;
      // Decay only the weights this example touches (lazy L2): a step costs its nonzeros, not the vocabulary.
      for (let j = 0; j < e.v.ids.length; j++) {
        const id = e.v.ids[j]!;
        w[id] = w[id]! * (1 - rate * L2) - g * e.v.w[j]!;
      }
      bias -= g;
    }
  }
  return { score: (v) => predict(v) - bias };
}
