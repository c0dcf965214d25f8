// Tokenizing and light stemming shared by topic rules, classification and trending keywords.

/** A text's words as parallel arrays (no object per word: classification tokenizes millions of words). */
export interface Tokens {
  /** As written (for case-sensitive acronyms). */
  raw: string[];
  /** Lowercased and stemmed (for phrases). */
  stem: string[];
}

// Letters and digits; hyphens, slashes and punctuation split words, so "fine-tuning" is "fine tuning".
// Explicit ranges instead of \p{L}: three times faster on long abstracts. Non-ASCII letters are kept
// (Latin-1 and Extended, Greek, Cyrillic, CJK …); symbols and punctuation (U+2000–U+2BFF, × ÷) split.
const NON_WORD = /[^A-Za-z0-9\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u1FFF\u2C00-\uD7FF\uF900-\uFFEF]+/;

/**
 * A light suffix stemmer: enough that quantize / quantized / quantizing / quantization / quantizes share
 * one stem, plurals fold and generate / generation / generative meet, without Porter's surprises on
 * acronyms and names. Rules are tried longest first; `keep` is the shortest stem a rule may leave.
 */
export function stem(word: string): string {
  // Vocabulary is small next to the number of tokens: memoizing makes classification several times faster.
  const cached = cache.get(word);
  if (cached !== undefined) return cached;
  if (cache.size >= CACHE_LIMIT) cache.clear();
  const s = computeStem(word);
  cache.set(word, s);
  return s;
}

const cache = new Map<string, string>();
const CACHE_LIMIT = 500_000;

function computeStem(word: string): string {
  const w = word.toLowerCase();
  if (w.length <= 3) return w;
  for (const [suffix, replacement, keep] of RULES) {
    if (w.endsWith(suffix) && w.length - suffix.length >= keep) return w.slice(0, -suffix.length) + replacement;
  }
  return w;
}

const RULES: [string, string, number][] = (
  [
    // -ize family (and British -ise) all end as "iz".
    ['izations', 'iz', 3], ['isations', 'iz', 3], ['ization', 'iz', 3], ['isation', 'iz', 3],
    ['izing', 'iz', 3], ['ising', 'iz', 4], ['izers', 'iz', 3], ['izer', 'iz', 3], ['izes', 'iz', 3],
    ['ized', 'iz', 3], ['ised', 'iz', 4], ['ize', 'iz', 3],
    // -ate family: generate, generated, generating, generation(s), generative, generator(s).
    ['ations', '', 4], ['ation', '', 4], ['atives', '', 4], ['ative', '', 4], ['ating', '', 4], ['ated', '', 4],
    ['ates', '', 4], ['ate', '', 4], ['ators', '', 4], ['ator', '', 4],
    ['ies', 'y', 3], ['ied', 'y', 3], ['sses', 'ss', 2], ['ss', 'ss', 2], ['us', 'us', 2], ['is', 'is', 2],
    ['ings', '', 4], ['ing', '', 4], ['ers', '', 4], ['er', '', 4], ['ed', '', 4], ['es', '', 4], ['e', '', 4], ['s', '', 3],
  ] as [string, string, number][]
).sort((a, b) => b[0].length - a[0].length);

/** Words only, stems left to the caller (classification stems lazily through a memo). */
export function words(text: string): Pick<Tokens, 'raw'> {
  const raw = text.split(NON_WORD);
  if (raw[0] === '') raw.shift();
  if (raw.length > 0 && raw[raw.length - 1] === '') raw.pop();
  return { raw };
}

export function tokenize(text: string): Tokens {
  // split() on non-word runs is several times faster than matchAll() over words on long abstracts.
  const raw = text.split(NON_WORD);
  if (raw[0] === '') raw.shift();
  if (raw.length > 0 && raw[raw.length - 1] === '') raw.pop();
  return { raw, stem: raw.map(stem) };
}
