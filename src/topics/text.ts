// Tokenizing and light stemming shared by topic rules, classification and trending keywords.

export interface Token {
  /** As written (for case-sensitive acronyms). */
  raw: string;
  /** Lowercased and stemmed (for phrases). */
  stem: string;
}

// Letters and digits; hyphens, slashes and punctuation split words, so "fine-tuning" is "fine tuning".
const WORD = /[\p{L}\p{N}]+/gu;

/**
 * A light suffix stemmer: enough that quantize / quantized / quantizing / quantization / quantizes share
 * one stem, plurals fold and generate / generation / generative meet, without Porter's surprises on
 * acronyms and names. Rules are tried longest first; `keep` is the shortest stem a rule may leave.
 */
export function stem(word: string): string {
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

export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  for (const m of text.matchAll(WORD)) out.push({ raw: m[0], stem: stem(m[0]) });
  return out;
}
