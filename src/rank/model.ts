// A per-reader linear model on TF-IDF (logistic regression, as arxiv-sanity's per-user SVM): liked papers against
// disliked ones and the rest of the edition, trained in a few deterministic passes.

export interface LinearModel {
  score(v: Map<string, number>): number;
}

/** Marked papers (likes and dislikes together) before a model replaces the liked papers' centroid. */
export const MIN_FOR_MODEL = 6;
const EPOCHS = 12;
const RATE = 0.5;
const L2 = 1e-3;
/** The unmarked papers of the edition are weak negatives: most of them are not what the reader wants. */
const BACKGROUND_WEIGHT = 0.15;

export function trainModel(liked: Map<string, number>[], disliked: Map<string, number>[], background: Map<string, number>[]): LinearModel {
  const w = new Map<string, number>();
  let bias = 0;
  const examples: { v: Map<string, number>; y: number; weight: number }[] = [
    ...liked.map((v) => ({ v, y: 1, weight: Math.max(1, (background.length * BACKGROUND_WEIGHT) / Math.max(1, liked.length) / 2) })),
    ...disliked.map((v) => ({ v, y: 0, weight: 1 })),
    ...background.map((v) => ({ v, y: 0, weight: BACKGROUND_WEIGHT })),
  ];
  const predict = (v: Map<string, number>) => {
    let z = bias;
    for (const [t, x] of v) z += (w.get(t) ?? 0) * x;
    return z;
  };
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    const rate = RATE / (1 + epoch);
    // A fixed, interleaved order (no randomness): the same feedback always trains the same model.
    for (let i = 0; i < examples.length; i++) {
      const e = examples[(i * 7919) % examples.length]!;
      const p = 1 / (1 + Math.exp(-predict(e.v)));
      const g = (p - e.y) * e.weight * rate;
      for (const [t, x] of e.v) w.set(t, (w.get(t) ?? 0) * (1 - rate * L2) - g * x);
      bias -= g;
    }
  }
  return { score: (v) => predict(v) - bias };
}
