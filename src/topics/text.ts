// Words and light stemming shared by topic rules, classification and trending keywords.

/**
 * What a word is reduced to. `base` joins inflections and derivations (quantize, quantized, quantizing,
 * quantization, quantizer → "quantiz"). `agent` is set for -er/-or nouns (transformer, adapter, accelerator):
 * a keyword written as such a noun matches only that noun and its plural, so "transformer" does not
 * match "transformation" while "recommendation" still matches "recommender".
 */
export interface Stem {
  readonly base: string;
  readonly agent: string | null;
}

const VOWEL = /[aeiouy]/;
// Words whose ending only looks like an inflection or a derivation.
const KEEP = new Set(['bias', 'lens', 'chaos', 'canvas', 'atlas', 'news', 'alias', 'thus', 'gas', 'its', 'this', 'has', 'was', 'does', 'embed', 'hundred', 'infrared', 'foundation']);
const INFLECTIONS = ['ings', 'ing', 'ed', 'es', 's'] as const;

/** Plural, -ed and -ing off; returns the word and which suffix went. */
function inflection(w: string): [string, string] {
  if (w.length <= 2 || KEEP.has(w)) return [w, ''];
  if (w.endsWith('ies') || w.endsWith('ied')) return w.length > 4 ? [`${w.slice(0, -3)}y`, w.endsWith('d') ? 'ed' : 's'] : [w, ''];
  if (w.endsWith('sses')) return [w.slice(0, -2), 's'];
  if (w.endsWith('ss') || w.endsWith('us') || w.endsWith('is') || w.endsWith('eed')) return [w, ''];
  for (const suffix of INFLECTIONS) {
    if (!w.endsWith(suffix)) continue;
    let rest = w.slice(0, -suffix.length);
    // A plural s goes even without a vowel before it (LLMs, LMs, CNNs); other endings need a real stem.
    if (suffix === 's' ? rest.length < 2 : rest.length < 3 || !VOWEL.test(rest)) continue;
    if (suffix !== 's' && suffix !== 'es') rest = undouble(rest);
    // generated → generate (then "-ate" goes below with generation and generative).
    if (rest.endsWith('at') && suffix !== 's') rest += 'e';
    return [rest, suffix];
  }
  return [w, ''];
}

/** planning → plan, embedded → embed; not for l, s, z (fill, pass, buzz). */
function undouble(w: string): string {
  const n = w.length;
  return n > 3 && w[n - 1] === w[n - 2] && !/[aeioulsz]/.test(w[n - 1]!) ? w.slice(0, -1) : w;
}

// Derivational endings, longest first; `keep` is the shortest stem each may leave.
const DERIVATIONS: [RegExp, string, number][] = [
  [/i[sz]ations?$/, 'iz', 3],
  [/i[sz]e$/, 'iz', 3],
  [/ations?$/, '', 4],
  [/atives?$/, '', 4],
  [/ate$/, '', 4],
  [/(?<=[ts])ions?$/, '', 4], // detection → detect, compression → compress
  [/e$/, '', 3],
];

function derivation(w: string, suffix: string): string {
  // quantis(ing), quantis(ed) → quantiz, like quantize.
  if (suffix !== '' && suffix !== 's' && w.endsWith('is')) return `${w.slice(0, -2)}iz`;
  if (KEEP.has(w)) return w;
  for (const [re, replacement, keep] of DERIVATIONS) {
    const m = re.exec(w);
    if (m && m.index >= keep) return w.slice(0, m.index) + replacement;
  }
  return w;
}

// The last word stemmed: a new word of a paper is stemmed for the keyword rules and then for the learned
// model (terms.ts) right after, and stemming is most of what a new word costs.
let lastLower = '';
let lastStem: Stem = { base: '', agent: null };

/** The light stemmer: enough that inflections meet, without Porter's surprises on names and acronyms. */
export function stemWord(word: string): Stem {
  const lower = word.toLowerCase();
  if (lower === lastLower) return lastStem;
  const [w, suffix] = inflection(lower);
  let base: string;
  let agent: string | null = null;
  const m = /(?:er|or)$/.exec(w);
  if (m && m.index >= 4 && VOWEL.test(w.slice(0, m.index))) {
    // Only the noun itself (and its plural) is an agent form; "filtering" is the base "filt".
    if (suffix === '' || suffix === 's' || suffix === 'es') agent = w;
    base = undouble(w.slice(0, m.index)).replace(/(?<=.{4})at$/, '');
  } else {
    base = derivation(w, suffix);
  }
  // distillation, distilled, distill → distil
  if (base.length > 4 && base.endsWith('ll')) base = base.slice(0, -1);
  lastLower = lower;
  lastStem = { base, agent };
  return lastStem;
}

/**
 * Word characters: ASCII letters and digits and non-ASCII letters (Latin-1 and Extended, Greek, Cyrillic,
 * CJK …). Everything else (spaces, hyphens, slashes, punctuation, symbols, × ÷) separates words, so
 * "fine-tuning" reads as "fine tuning".
 */
export function isWordCode(c: number): boolean {
  if (c < 128) return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
  return (c >= 0xc0 && c !== 0xd7 && c !== 0xf7 && c < 0x2000) || (c >= 0x2c00 && c < 0xd800 && (c < 0x3000 || c >= 0x3040)) || (c >= 0xf900 && c < 0xfff0);
}

/** The words of a text as written (for places that are not the hot loop: rules, trending). */
export function words(text: string): string[] {
  const out: string[] = [];
  let start = -1;
  for (let i = 0; i <= text.length; i++) {
    const word = i < text.length && isWordCode(text.charCodeAt(i));
    if (word && start < 0) start = i;
    else if (!word && start >= 0) {
      out.push(text.slice(start, i));
      start = -1;
    }
  }
  return out;
}

/**
 * An acronym is matched exactly (case-sensitively): a word with an uppercase letter after its first
 * character (LLM, LoRA, KV, ViT, 3D) or a capital followed by a digit (T5).
 */
export const isAcronym = (word: string): boolean => /^.+\p{Lu}/u.test(word) || /^\p{Lu}\p{N}/u.test(word);
