// A per-reader linear model on TF-IDF (logistic regression, as arxiv-sanity's per-user SVM): liked papers against
// disliked ones and the rest of the edition, trained in a few deterministic passes.

import type { Sparse } from './corpus.ts';

export interface LinearModel {
  score(v: Sparse): number;
}

/** Marked papers (likes and dislikes together) before a model replaces the liked papers' centroid. */
export const MIN_FOR_MODEL = 6;
/**
 * Passes over the examples and the edition papers kept as background: a model is trained per reader per delivery,
 * so its cost is epochs × examples. 12 passes over the whole edition cost ~60% of all ranking in bench/picks.ts.
 * On train's tune part, with feedback: 12 over all 0.846, 6 over 40 0.841, 4 over 30 0.837 (runs differ by ±0.01
 * as marks change what is shown next); 4 over 30 costs a tenth of 12 over a 500-paper edition.
 */
const EPOCHS = 4;
const MAX_BACKGROUND = 30;
const RATE = 0.5;
const L2 = 1e-3;
/** The unmarked papers of the edition are weak negatives: most of them are not what the reader wants. */
const BACKGROUND_WEIGHT = 0.15;

/** `w`: a zeroed dense vector over the corpus vocabulary, which the weights are trained into (the caller lends and zeroes it). */
export function trainModel(liked: Sparse[], disliked: Sparse[], allBackground: Sparse[], w: Float64Array): LinearModel {
  let bias = 0;
  // Every step-th paper of the edition stands for the rest, weighted up to match.
  const step = Math.max(1, Math.ceil(allBackground.length / MAX_BACKGROUND));
  const background = step === 1 ? allBackground : allBackground.filter((_, i) => i % step === 0);
  const bgWeight = (BACKGROUND_WEIGHT * allBackground.length) / Math.max(1, background.length);
  const examples: { v: Sparse; y: number; weight: number }[] = [
    ...liked.map((v) => ({ v, y: 1, weight: Math.max(1, (allBackground.length * BACKGROUND_WEIGHT) / Math.max(1, liked.length) / 2) })),
    ...disliked.map((v) => ({ v, y: 0, weight: 1 })),
    ...background.map((v) => ({ v, y: 0, weight: bgWeight })),
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
