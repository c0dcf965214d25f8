// A map from a pair of word ids to a number, for the hot loops: the model's phrases and the keyword rules' phrases.

/**
 * (word id, word id) → a number ≥ 0 (the model's phrase feature, a keyword list) in an open-addressing table
 * of two Int32s a slot: the pair as one number (first × words + second) and the value (-1 where free). A
 * phrase lookup runs for a quarter of a paper's words and mostly misses the cache, so the table is kept
 * small: at most half full, 8 bytes a slot (131 KB for the model's 6,555 phrases). A vocabulary too large
 * for the pair to fit an Int32 (over 46,340 words) keys by a hash instead and checks both words.
 */
export class PairTable {
  private readonly slots: Int32Array;
  private readonly mask: number;
  /** Word ids are below this; 0 when pairs do not fit an Int32 (then `wide` holds both words). */
  private readonly words: number;
  private readonly wide: Int32Array | null;

  /** Pairs (first, second, value): word ids below `words`, each pair once. */
  constructor(pairs: [number, number, number][], words: number) {
    let capacity = 16;
    while (capacity < pairs.length * 2) capacity *= 2;
    this.mask = capacity - 1;
    this.slots = new Int32Array(capacity * 2).fill(-1);
    this.words = words * words <= 0x7fffffff ? words : 0;
    this.wide = this.words === 0 ? new Int32Array(capacity * 2) : null;
    for (const [a, b, f] of pairs) {
      const key = this.keyOf(a, b);
      let slot = pairSlot(key) & this.mask;
      while (this.slots[slot * 2 + 1] !== -1 && !this.holds(slot, key, a, b)) slot = (slot + 1) & this.mask;
      this.slots[slot * 2] = key;
      this.slots[slot * 2 + 1] = f;
      if (this.wide !== null) {
        this.wide[slot * 2] = a;
        this.wide[slot * 2 + 1] = b;
      }
    }
  }

  private keyOf(a: number, b: number): number {
    return this.words !== 0 ? a * this.words + b : Math.imul(a, 0x9e3779b1) ^ b;
  }

  private holds(slot: number, key: number, a: number, b: number): boolean {
    if (this.slots[slot * 2] !== key) return false;
    return this.wide === null || (this.wide[slot * 2] === a && this.wide[slot * 2 + 1] === b);
  }

  /** The value of pair (a, b), or -1 (word ids are ≥ 0 and below `words`). */
  get(a: number, b: number): number {
    const slots = this.slots;
    const key = this.keyOf(a, b);
    for (let slot = pairSlot(key) & this.mask; ; slot = (slot + 1) & this.mask) {
      const f = slots[slot * 2 + 1]!;
      if (f === -1 || this.holds(slot, key, a, b)) return f;
    }
  }
}

function pairSlot(key: number): number {
  let h = Math.imul(key, 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  return h ^ (h >>> 13);
}
