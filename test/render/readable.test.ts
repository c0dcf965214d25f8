// readable(): LaTeX-ish seed text to Unicode; readableAuthors(); never throws, never leaves $…$ math behind.
import { describe, expect, it } from 'vitest';
import { readable, readableAuthors } from '../../src/render/readable.ts';
import { seedPapers } from './factory.ts';

describe('readable', () => {
  it.each([
    ['H$_2$O', 'H₂O'],
    ['$\\mathcal{O}(n)$ time', '𝒪(n) time'],
    ['$x^2$', 'x²'],
    ['$10^{-3}$', '10⁻³'],
    ['$\\theta_{t+1}$', 'θₜ₊₁'],
    ['$\\alpha$-$\\beta$ and $\\Omega$', 'α-β and Ω'],
    ['$3\\times$ faster', '3× faster'],
    ['$\\leq 5\\%$ and $\\geq$ 2', '≤5% and ≥ 2'],
    ['$\\approx$ 7B', '≈ 7B'],
    ['$\\sim$10\\% gain', '~10% gain'],
    ['$\\infty$, $\\pm 1$', '∞, ±1'],
    ['$a \\pm b$ with $\\lambda = 0.1$ and $\\lambda x$', 'a ± b with λ = 0.1 and λx'],
    ['$A \\to B$ or $A \\rightarrow B$', 'A → B or A → B'],
    ['$a \\cdot b$', 'a · b'],
    ['\\textbf{bold}, $\\mathbf{x}$, $\\text{ok}$, $\\mathrm{d}$', 'bold, x, ok, d'],
    ['$\\mathbb{R}^d$', 'ℝᵈ'],
    ['$x_{ab}$', 'x_ab'],
    ['$\\mathcal{L}_{\\text{CE}}$', 'ℒ_CE'],
    ['$\\frac{a+b}{2}$', '(a+b)/2'],
    ['$W^{\\top}$', 'Wᵀ'],
    ['$O(n \\log n)$', 'O(n log n)'],
    ['$$E=mc^2$$', 'E=mc²'],
    ['50\\% of the data', '50% of the data'],
    ['strings in $\\{0,1\\}^n$', 'strings in {0,1}ⁿ'],
    ['Alice$^\\dagger$, Bob$^{\\ddagger}$, Carol$^*$', 'Alice†, Bob‡, Carol*'],
  ])('%s → %s', (input, out) => {
    expect(readable(input)).toBe(out);
  });

  it('leaves prices and unmatched dollars alone', () => {
    expect(readable('costs $5 and $10')).toBe('costs $5 and $10');
    expect(readable('between $5-$10 per run')).toBe('between $5-$10 per run');
    expect(readable('trained for roughly $20. We plot')).toBe('trained for roughly $20. We plot');
    expect(readable('an unclosed $x^2 here')).toBe('an unclosed $x^2 here');
    expect(readable('escaped \\$5 and $x$')).toBe('escaped $5 and x');
  });

  it('reads the macros real seeds use outside math', () => {
    expect(readable('weight decay {\\lambda} and lr {\\eta}, \\ie, group norm')).toBe('weight decay λ and lr η, i.e., group norm');
    expect(readable('rewards, \\eg~progress')).toBe('rewards, e.g. progress');
    expect(readable('B/({\\eta}{\\lambda}D)')).toBe('B/(ηλD)');
    expect(readable('\\method improves')).toBe('method improves');
  });

  it('turns every real seed title and abstract into text without $…$ math or LaTeX commands', () => {
    const papers = seedPapers();
    expect(papers.length).toBeGreaterThan(400);
    const water = papers.find((p) => p.title.includes('H$_2$O'))!;
    expect(readable(water.title)).toContain('H₂O');
    for (const p of papers) {
      for (const text of [readable(p.title), readable(p.abstract)]) {
        expect(text).not.toMatch(/\$[^$\s\d][^$]*\$/);
        expect(text).not.toMatch(/\\[a-zA-Z]+/);
      }
    }
  });

  it('is total: odd input never throws', () => {
    for (const s of ['', '$', '$$', '$$$', '\\', '{', '}', '$\\frac{$', '^_^', `${'$x'.repeat(5000)}`, '\uE001$', '$_{}$', '$^$']) {
      expect(() => readable(s)).not.toThrow();
      expect(typeof readable(s)).toBe('string');
    }
    expect(readable(undefined as unknown as string)).toBe('');
  });
});

describe('readableAuthors', () => {
  it('names the first few then "et al."', () => {
    expect(readableAuthors(['A', 'B', 'C', 'D'], 3)).toBe('A, B, C et al.');
    expect(readableAuthors(['A', 'B'], 3)).toBe('A, B');
    expect(readableAuthors([], 3)).toBe('');
  });
});
