// A paper's text → the terms the learned model reads: stemmed words and two-word phrases, stop words left out.
import { isWordCode, stemWord } from './text.ts';

/**
 * Common words that say nothing about a field. They are not terms, and a phrase never spans one
 * ("segmentation of images" gives no "segmentation image").
 */
export const STOP_WORDS = new Set(
  (
    'a about above after again against all also although am among an and any are as at be because been before being below between both but by can could ' +
    'did do does doing done down during each either et etc few for from further had has have having here how however i if in into is it its itself ' +
    'just less may me might more most much must my no nor not of off on once one only or other our ours out over own per same shall she should since so ' +
    'some such than that the their theirs them then there these they this those through thus to too two under until up upon us use used using very via ' +
    'was we well were what when where whether which while who whom whose why will with within without would yet you your'
  ).split(' '),
);

/** A word's term: its stem (the -er/-or noun where there is one, so "transformer" is not "transformation"), or null. */
export function termOf(word: string): string | null {
  const lower = word.toLowerCase();
  if (lower.length < 2 || STOP_WORDS.has(lower) || /^\d+$/.test(lower)) return null;
  const s = stemWord(lower);
  return s.agent ?? s.base;
}

/** Between two words, only spaces, hyphens and slashes keep a phrase together; a comma or a full stop ends it. */
export const joins = (c: number): boolean => c === 32 || c === 45 || c === 47 || c === 9 || c === 0x2010 || c === 0x2011;

/**
 * Calls `word(text, start, end, joined)` for every word of `text`; `joined` is false when punctuation (or
 * the start of the text) comes before the word, so it cannot continue a phrase.
 */
export function scanWords(text: string, word: (start: number, end: number, joined: boolean) => void): void {
  let start = -1;
  let joined = false;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 32;
    if (isWordCode(c)) {
      if (start < 0) start = i;
    } else {
      if (start >= 0) {
        word(start, i, joined);
        start = -1;
        joined = true;
      }
      if (!joins(c)) joined = false;
    }
  }
}

export interface PaperTerms {
  /** Term → 1 (abstract only) or 2 (in the title); bigrams as "a b". */
  values: Map<string, number>;
  /** Words that are not stop words, title and abstract: the length the values are scaled by. */
  length: number;
  /** Term → the spelling it was first seen in (for explanations). */
  spelling: Map<string, string>;
}

/** The terms of a paper (the readable path, for the trainer; the classifier has a fast twin in model.ts, tested to agree). */
export function paperTerms(title: string, abstract: string): PaperTerms {
  const values = new Map<string, number>();
  const spelling = new Map<string, string>();
  let length = 0;
  for (const [text, inTitle] of [
    [title, true],
    [abstract, false],
  ] as const) {
    let prev: string | null = null;
    let prevWord = '';
    const seen = new Set<string>();
    const add = (term: string, written: string) => {
      if (seen.has(term)) return;
      seen.add(term);
      values.set(term, Math.max(values.get(term) ?? 0, inTitle ? 2 : 1));
      if (!spelling.has(term)) spelling.set(term, written);
    };
    scanWords(text, (start, end, joined) => {
      const w = text.slice(start, end);
      const t = termOf(w);
      if (t === null) {
        prev = null;
        return;
      }
      length++;
      add(t, w);
      if (joined && prev !== null) add(`${prev} ${t}`, `${prevWord} ${w}`);
      prev = t;
      prevWord = w;
    });
  }
  return { values, length, spelling };
}

/** Values are divided by this, so a long abstract does not outweigh a short one by its length alone. */
export const lengthScale = (length: number): number => 1 / Math.sqrt(Math.max(length, 20));
