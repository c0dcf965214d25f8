// LaTeX text accents and special letters (`Rozi\`ere`, `Nystr\"om`, `\c{c}`, `{\o}`) → Unicode letters (pure).

/** Accent command → combining mark; NFC then composes the letter where Unicode has one (è, ö, ç, ő). */
const SYMBOL_ACCENTS: Record<string, string> = {
  '`': '\u0300', "'": '\u0301', '^': '\u0302', '~': '\u0303', '=': '\u0304', '.': '\u0307', '"': '\u0308',
};
const LETTER_ACCENTS: Record<string, string> = {
  u: '\u0306', r: '\u030A', H: '\u030B', v: '\u030C', d: '\u0323', c: '\u0327', k: '\u0328', b: '\u0331',
};

/** Letters that are macros of their own (`\ss`, `\o`, `\aa`); `\i` and `\j` are the dotless bases accents sit on. */
const LETTERS: Record<string, string> = {
  ss: 'ß', o: 'ø', O: 'Ø', aa: 'å', AA: 'Å', ae: 'æ', AE: 'Æ', oe: 'œ', OE: 'Œ', l: 'ł', L: 'Ł', i: 'ı', j: 'ȷ',
};

// The accented base: a letter, a dotless `\i`/`\j`, or one of those in braces.
// A bare `\i` swallows the space after it, as TeX reads a control word (`Mart\'\i nez`).
const BASE = String.raw`(?:\{\s*(\\[ij](?![A-Za-z])|[A-Za-z])\s*\}|(\\[ij](?![A-Za-z])(?: (?=[A-Za-z]))?|[A-Za-z]))`;
// `\"o`, `\"{o}`, `\'\i`, and the BibTeX form with the whole accent in braces, `{\"o}` / `{\"{o}}`. No space
// before the letter: TeX skips none after a control symbol, and `\"best\" one` must not become `\"bestöne`.
const SYMBOL_ACCENT = new RegExp(String.raw`(\{)?\\([\`'^~=."])${BASE}(\})?`, 'g');
// `\c{c}`, `\v{s}`, `\c c` (a letter-named accent takes its argument after a space, as TeX reads it).
const LETTER_ACCENT = new RegExp(String.raw`(\{)?\\([urHvdckb])(?:\s*\{\s*(\\[ij](?![A-Za-z])|[A-Za-z])\s*\}|\s+(\\[ij](?![A-Za-z])|[A-Za-z]))(\})?`, 'g');
// `{\o}`, `\o{}`, `Bj\o rn` (TeX swallows the space after a control word), `\ss` at a word's end.
const LETTER = /(\{)?\\(ss|aa|AA|ae|AE|oe|OE|[oOlLij])(?![A-Za-z])(\{\}| (?=\p{L}))?(\})?/gu;

export function accents(text: string): string {
  if (!text.includes('\\')) return text;
  // Accents first: they may sit on a dotless `\i`, which the letter pass would otherwise take alone.
  let out = text.replace(SYMBOL_ACCENT, (m, open?: string, acc?: string, braced?: string, bare?: string, close?: string) =>
    accented(m, open, compose(braced ?? bare ?? '', SYMBOL_ACCENTS[acc!]!), close),
  );
  out = out.replace(LETTER_ACCENT, (m, open?: string, acc?: string, braced?: string, bare?: string, close?: string) =>
    accented(m, open, compose(braced ?? bare ?? '', LETTER_ACCENTS[acc!]!), close),
  );
  return out.replace(LETTER, (_m, open: string | undefined, name: string, _tail: string | undefined, close: string | undefined) =>
    unbrace(open, LETTERS[name]!, close),
  );
}

/**
 * Only an accent Unicode has a letter for is taken: `don\'t` or `\"best\"` (escaped quotes, not accents)
 * would otherwise turn into a stray combining mark; they stay as written.
 */
function accented(original: string, open: string | undefined, letter: string, close: string | undefined): string {
  return Array.from(letter).length === 1 ? unbrace(open, letter, close) : original;
}

/** A brace pair around the whole accent is grouping only: both go; a lone one belongs to something else and stays. */
function unbrace(open: string | undefined, letter: string, close: string | undefined): string {
  if (open !== undefined && close !== undefined) return letter;
  return (open ?? '') + letter + (close ?? '');
}

function compose(base: string, mark: string): string {
  // An accent goes on a plain i or j: Unicode composes í from i, not from the dotless ı.
  const b = base.trim();
  const letter = b === '\\i' ? 'i' : b === '\\j' ? 'j' : b;
  return `${letter}${mark}`.normalize('NFC');
}
