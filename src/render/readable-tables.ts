// Lookup tables for readable(): LaTeX symbol macros, Unicode sub/superscripts and math alphabets.

export const SYMBOLS: Record<string, string> = {
  // Greek
  alpha: 'α', beta: 'β', gamma: 'γ', delta: 'δ', epsilon: 'ε', varepsilon: 'ε', zeta: 'ζ', eta: 'η', theta: 'θ',
  vartheta: 'ϑ', iota: 'ι', kappa: 'κ', lambda: 'λ', mu: 'μ', nu: 'ν', xi: 'ξ', pi: 'π', varpi: 'ϖ', rho: 'ρ',
  varrho: 'ϱ', sigma: 'σ', varsigma: 'ς', tau: 'τ', upsilon: 'υ', phi: 'φ', varphi: 'φ', chi: 'χ', psi: 'ψ',
  omega: 'ω', Gamma: 'Γ', Delta: 'Δ', Theta: 'Θ', Lambda: 'Λ', Xi: 'Ξ', Pi: 'Π', Sigma: 'Σ', Upsilon: 'Υ',
  Phi: 'Φ', Psi: 'Ψ', Omega: 'Ω',
  // relations and operators
  times: '×', div: '÷', cdot: '·', cdots: '⋯', ldots: '…', dots: '…', pm: '±', mp: '∓', leq: '≤', le: '≤',
  geq: '≥', ge: '≥', neq: '≠', ne: '≠', approx: '≈', sim: '~', simeq: '≃', cong: '≅', equiv: '≡', propto: '∝',
  ll: '≪', gg: '≫', infty: '∞', to: '→', rightarrow: '→', leftarrow: '←', gets: '←', Rightarrow: '⇒',
  Leftarrow: '⇐', leftrightarrow: '↔', Leftrightarrow: '⇔', implies: '⇒', iff: '⇔', mapsto: '↦',
  uparrow: '↑', downarrow: '↓', in: '∈', notin: '∉', ni: '∋', subset: '⊂', subseteq: '⊆', supset: '⊃',
  supseteq: '⊇', cup: '∪', cap: '∩', setminus: '∖', emptyset: '∅', varnothing: '∅', forall: '∀', exists: '∃',
  neg: '¬', lnot: '¬', land: '∧', wedge: '∧', lor: '∨', vee: '∨', partial: '∂', nabla: '∇', sum: '∑',
  prod: '∏', int: '∫', oint: '∮', sqrt: '√', circ: '∘', bullet: '•', star: '⋆', ast: '∗', oplus: '⊕',
  otimes: '⊗', odot: '⊙', top: '⊤', bot: '⊥', perp: '⊥', parallel: '∥', mid: '|', vert: '|', Vert: '‖',
  langle: '⟨', rangle: '⟩', lceil: '⌈', rceil: '⌉', lfloor: '⌊', rfloor: '⌋', prime: '′', ell: 'ℓ',
  hbar: 'ℏ', Re: 'ℜ', Im: 'ℑ', aleph: 'ℵ', dagger: '†', ddagger: '‡', checkmark: '✓', degree: '°',
  angle: '∠', triangle: '△', square: '□', lbrace: '{', rbrace: '}', backslash: '\\', S: '§', P: '¶',
  copyright: '©', textregistered: '®', texttrademark: '™', textdegree: '°', textasciitilde: '~',
  textbackslash: '\\', textbar: '|', textendash: '–', textemdash: '—', textellipsis: '…', dag: '†',
  // named functions read as their names
  log: 'log', ln: 'ln', exp: 'exp', max: 'max', min: 'min', arg: 'arg', argmax: 'argmax', argmin: 'argmin',
  sin: 'sin', cos: 'cos', tan: 'tan', tanh: 'tanh', sup: 'sup', inf: 'inf', lim: 'lim', det: 'det', dim: 'dim',
  softmax: 'softmax', Pr: 'Pr',
};

/** Prose shorthands papers define as macros. */
export const WORD_MACROS: Record<string, string> = {
  ie: 'i.e.', eg: 'e.g.', etal: 'et al.', vs: 'vs.', etc: 'etc.', cf: 'cf.', wrt: 'w.r.t.', iid: 'i.i.d.',
  LaTeX: 'LaTeX', TeX: 'TeX',
};

export const SUB: Record<string, string> = {
  '0': '₀', '1': '₁', '2': '₂', '3': '₃', '4': '₄', '5': '₅', '6': '₆', '7': '₇', '8': '₈', '9': '₉',
  '+': '₊', '-': '₋', '=': '₌', '(': '₍', ')': '₎', a: 'ₐ', e: 'ₑ', h: 'ₕ', i: 'ᵢ', j: 'ⱼ', k: 'ₖ', l: 'ₗ',
  m: 'ₘ', n: 'ₙ', o: 'ₒ', p: 'ₚ', r: 'ᵣ', s: 'ₛ', t: 'ₜ', u: 'ᵤ', v: 'ᵥ', x: 'ₓ', β: 'ᵦ', γ: 'ᵧ', ρ: 'ᵨ',
  φ: 'ᵩ', χ: 'ᵪ',
};

export const SUP: Record<string, string> = {
  '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹',
  '+': '⁺', '-': '⁻', '=': '⁼', '(': '⁽', ')': '⁾', a: 'ᵃ', b: 'ᵇ', c: 'ᶜ', d: 'ᵈ', e: 'ᵉ', f: 'ᶠ', g: 'ᵍ',
  h: 'ʰ', i: 'ⁱ', j: 'ʲ', k: 'ᵏ', l: 'ˡ', m: 'ᵐ', n: 'ⁿ', o: 'ᵒ', p: 'ᵖ', r: 'ʳ', s: 'ˢ', t: 'ᵗ', u: 'ᵘ',
  v: 'ᵛ', w: 'ʷ', x: 'ˣ', y: 'ʸ', z: 'ᶻ', A: 'ᴬ', B: 'ᴮ', D: 'ᴰ', E: 'ᴱ', G: 'ᴳ', H: 'ᴴ', I: 'ᴵ', J: 'ᴶ',
  K: 'ᴷ', L: 'ᴸ', M: 'ᴹ', N: 'ᴺ', O: 'ᴼ', P: 'ᴾ', R: 'ᴿ', T: 'ᵀ', U: 'ᵁ', V: 'ⱽ', W: 'ᵂ', '⊤': 'ᵀ',
  α: 'ᵅ', β: 'ᵝ', γ: 'ᵞ', δ: 'ᵟ', θ: 'ᶿ', φ: 'ᵠ', χ: 'ᵡ', '∗': '*', '*': '*', '′': '′',
};

interface Alphabet {
  upper: number;
  lower: number | null;
  digits: number | null;
  /** Letters that live in the Letterlike Symbols block instead of the math block. */
  holes: Record<string, string>;
}

const ALPHABETS: Record<string, Alphabet> = {
  mathcal: { upper: 0x1d49c, lower: 0x1d4b6, digits: null, holes: { B: 'ℬ', E: 'ℰ', F: 'ℱ', H: 'ℋ', I: 'ℐ', L: 'ℒ', M: 'ℳ', R: 'ℛ', e: 'ℯ', g: 'ℊ', o: 'ℴ' } },
  mathbb: { upper: 0x1d538, lower: 0x1d552, digits: 0x1d7d8, holes: { C: 'ℂ', H: 'ℍ', N: 'ℕ', P: 'ℙ', Q: 'ℚ', R: 'ℝ', Z: 'ℤ' } },
  mathfrak: { upper: 0x1d504, lower: 0x1d51e, digits: null, holes: { C: 'ℭ', H: 'ℌ', I: 'ℑ', R: 'ℜ', Z: 'ℨ' } },
};
ALPHABETS.mathscr = ALPHABETS.mathcal!;

/** `\mathcal{O}` → `𝒪`, `\mathbb{R}` → `ℝ`; null when `name` is not a math alphabet. */
export function mathAlphabet(name: string, arg: string): string | null {
  const a = ALPHABETS[name];
  if (!a) return null;
  return Array.from(arg, (c) => {
    if (a.holes[c]) return a.holes[c];
    const code = c.charCodeAt(0);
    if (c >= 'A' && c <= 'Z') return String.fromCodePoint(a.upper + code - 65);
    if (c >= 'a' && c <= 'z' && a.lower !== null) return String.fromCodePoint(a.lower + code - 97);
    if (c >= '0' && c <= '9' && a.digits !== null) return String.fromCodePoint(a.digits + code - 48);
    return c;
  }).join('');
}
