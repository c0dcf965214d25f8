// LaTeX-ish seed text → readable Unicode for emails, feeds and pages (pure, total, never throws).
import { accents } from './readable-accents.ts';
import { SUB, SUP, SYMBOLS, WORD_MACROS, mathAlphabet } from './readable-tables.ts';

/** Macros whose braced argument is shown as plain text (formatting only). */
const TEXT_WRAPPERS = new Set([
  'text', 'textbf', 'textit', 'textrm', 'textsf', 'texttt', 'textsc', 'textup', 'textnormal', 'emph', 'underline',
  'mathbf', 'mathit', 'mathrm', 'mathsf', 'mathtt', 'mathnormal', 'boldsymbol', 'bm', 'operatorname', 'mbox', 'hbox',
  'url', 'textsuperscript', 'textsubscript', 'hat', 'tilde', 'bar', 'vec', 'widehat', 'widetilde', 'overline', 'dot',
]);

// Private-use characters stand in for escaped dollars while math is found; seed text never needs them.
const ESCAPED_DOLLAR = '\uE001';
const PRIVATE_USE = /[\uE000-\uF8FF]/g;

/** `H$_2$O` → `H₂O`, `$\mathcal{O}(n)$` → `𝒪(n)`, `\alpha` → `α`; prices like `$5` stay as they are. */
export function readable(text: string): string {
  if (typeof text !== 'string') return '';
  try {
    return convert(text);
  } catch {
    // A converter bug must never cost a digest: fall back to the text minus its math delimiters.
    return text.replace(/\$\$?([^$]*)\$\$?/g, '$1');
  }
}

function convert(input: string): string {
  let text = input.replace(PRIVATE_USE, '').replace(/\\\$/g, ESCAPED_DOLLAR);
  if (!text.includes('$') && !text.includes('\\') && !text.includes('{')) return restore(text);
  text = text.replace(/\$\$([^$]{1,400}?)\$\$/g, (_m, body: string) => math(body));
  text = text.replace(/\$([^$\n]{1,200}?)\$/g, (m, body: string, at: number, all: string) =>
    looksLikeMath(body, all.charAt(at + m.length)) ? math(body) : m,
  );
  return restore(prose(text));
}

/** `$5 and $10` and `$5-$10` are money, not math: math never starts or ends with a space, and never reads `$5…$10`. */
function looksLikeMath(body: string, after: string): boolean {
  if (/^\s|\s$/.test(body)) return false;
  return !(/^\d/.test(body) && /\d/.test(after));
}

function restore(text: string): string {
  return text.replace(/\uE001/g, '$').replace(/[ \t]{2,}/g, ' ');
}

/** Outside math: accents (`Nystr\\"om`), known macros (`\alpha`, `\ie`, `{\delta}`, `\textbf{x}`), ties `~` as spaces. */
function prose(text: string): string {
  // Accents first: `\textbf{G\\"{o}del}` unwraps only once its inner braces are gone, and `\~n` is no tie.
  let out = unwrapArgs(accents(text));
  out = out.replace(/\{\\([a-zA-Z]+)\}/g, (m, name: string) => macro(name) ?? m);
  out = out.replace(/\\([a-zA-Z]+)(?:\{\})?/g, (_m, name: string) => macro(name) ?? name);
  out = out.replace(/\\([%&#_{}])/g, '$1');
  // LaTeX ties (`e.g.~progress`, `Fig.~3`) are spaces; a tilde before a number (`~5%`) means "about".
  out = out.replace(/(?<=[A-Za-z.])~(?=[A-Za-z0-9])/g, ' ');
  return out;
}

/** Inside `$…$`: macros, fonts, fractions, sub- and superscripts; braces and spacing commands vanish. */
function math(body: string): string {
  // Escaped braces are set braces (`\{0,1\}^n`): keep them through the brace stripping at the end.
  let out = unwrapArgs(body.replace(/\\\{/g, '\uE002').replace(/\\\}/g, '\uE003'));
  out = out.replace(/\\frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}/g, (_m, a: string, b: string) => `${group(a)}/${group(b)}`);
  out = out.replace(/\\sqrt\s*\{([^{}]*)\}/g, (_m, a: string) => `√${group(a)}`);
  out = out.replace(/\\(left|right|big|Big|bigg|Bigg)\b\s*/g, '');
  out = out.replace(/\\([,;:! ]|quad\b|qquad\b)/g, ' ');
  // TeX swallows the space after a control word: `\pm 1` is ±1 and `(\alpha x)` is (αx). Keep it when the
  // macro had a space before it too (`a \pm b`), or when it reads as a word (`\log n`).
  out = out.replace(/(^|.)\\([a-zA-Z]+)( (?=[\p{L}\p{N}]))?/gu, (_m, before: string, name: string, space?: string) => {
    const value = macro(name) ?? name;
    const word = /^\p{L}{2,}$/u.test(value);
    return before + value + (space !== undefined && (before === ' ' || word) ? ' ' : '');
  });
  out = out.replace(/\\([%&#_{}$|])/g, (_m, c: string) => (c === '|' ? '‖' : c));
  out = scripts(out);
  return out.replace(/[{}]/g, '').replace(/\uE002/g, '{').replace(/\uE003/g, '}').replace(/\s+/g, ' ').trim();
}

/** Wrapper macros (`\textbf{x}`, `\mathcal{O}`, `\mathbb{R}`) with a brace-free argument, innermost first. */
function unwrapArgs(text: string): string {
  let out = text.replace(/\{\\(?:bf|it|rm|em|sf|tt|sc|cal)\s+([^{}]*)\}/g, '$1');
  out = out.replace(/\\(mathcal|mathbb|mathfrak|mathscr)\s+([A-Za-z0-9])/g, (m, name: string, c: string) => mathAlphabet(name, c) ?? m);
  for (let pass = 0; pass < 4; pass++) {
    const next = out.replace(/\\([a-zA-Z]+)\s*\{([^{}]*)\}/g, (m, name: string, arg: string) => {
      const alphabet = mathAlphabet(name, arg);
      if (alphabet !== null) return alphabet;
      if (TEXT_WRAPPERS.has(name)) return arg;
      if (name === 'href') return arg;
      return m;
    });
    if (next === out) break;
    out = next;
  }
  return out;
}

function macro(name: string): string | null {
  return SYMBOLS[name] ?? WORD_MACROS[name] ?? null;
}

/** `a+b` → `(a+b)` so `\frac{a+b}{2}` reads `(a+b)/2`; a single token stays bare. */
function group(s: string): string {
  const t = s.trim();
  return /^[\p{L}\p{N}.′]+$/u.test(t) ? t : `(${t})`;
}

/** `_2` → `₂`, `^{10}` → `¹⁰`, `_{ab}` → `_ab` when Unicode lacks a glyph for some character. */
function scripts(text: string): string {
  return text.replace(/([_^])\s*(?:\{([^{}]*)\}|([^\s{}_^\\]))/gu, (_m, op: string, braced?: string, single?: string) => {
    const arg = (braced ?? single ?? '').trim();
    if (arg === '') return '';
    const table = op === '_' ? SUB : SUP;
    if (op === '^' && (arg === '\'' || arg === '′')) return '′';
    // Footnote marks (`$^*$`, `$^\dagger$`, `$^{\ddagger}$`) are read as the mark itself.
    if (op === '^' && /^[*†‡§¶∗⋆★#]+$/u.test(arg)) return arg;
    const mapped = Array.from(arg, (c) => table[c]);
    if (mapped.every((c) => c !== undefined)) return mapped.join('');
    return /^[\p{L}\p{N}]+$/u.test(arg) ? `${op}${arg}` : `${op}(${arg})`;
  });
}

/** "A, B, C et al." — the first `max` names, then "et al." when there are more. */
export function readableAuthors(list: readonly string[], max = 3): string {
  const names = list.map((n) => readable(n).trim()).filter((n) => n !== '');
  if (names.length <= max) return names.join(', ');
  return `${names.slice(0, Math.max(1, max)).join(', ')} et al.`;
}
