// Paper links, the search fallback, abstract cutting and date labels.
import { describe, expect, it } from 'vitest';
import { cutAbstract, formatDate, formatDateRange, paperLinks, searchQuery, sentences } from '../../src/render/links.ts';

describe('paperLinks', () => {
  it('links arXiv abstract, PDF and Hugging Face when the arXiv id is known', () => {
    expect(paperLinks({ arxivId: '2410.17243', title: 'T' })).toEqual({
      primary: 'https://arxiv.org/abs/2410.17243',
      links: [
        { label: 'arXiv', url: 'https://arxiv.org/abs/2410.17243' },
        { label: 'PDF', url: 'https://arxiv.org/pdf/2410.17243' },
        { label: 'Hugging Face', url: 'https://huggingface.co/papers/2410.17243' },
      ],
    });
  });

  it('falls back to searches for the readable title when the id is unknown or malformed', () => {
    for (const arxivId of [null, '2410.1 onclick=x', '../../etc']) {
      const l = paperLinks({ arxivId, title: 'Splitting H$_2$O & more' });
      expect(l.primary).toBe('https://huggingface.co/papers?q=Splitting%20H2O%20%26%20more');
      expect(l.links.map((x) => x.url)).toEqual([
        'https://huggingface.co/papers?q=Splitting%20H2O%20%26%20more',
        'https://arxiv.org/search/?query=Splitting%20H2O%20%26%20more&searchtype=title',
      ]);
    }
  });

  it('searches for the whole title, URL-encoded (a runaway seed line is still bounded)', () => {
    const title = 'LongCat-Flash-Thinking: Scaling Reasoning, Efficiently & Safely (with $\\mathcal{O}(n)$ Memory) for Agentic Large Language Models in the Wild';
    const whole = 'LongCat-Flash-Thinking: Scaling Reasoning, Efficiently & Safely (with O(n) Memory) for Agentic Large Language Models in the Wild';
    const [hf, arxiv] = paperLinks({ arxivId: null, title }).links.map((x) => x.url);
    expect(hf).toBe(`https://huggingface.co/papers?q=${encodeURIComponent(whole)}`);
    expect(arxiv).toBe(`https://arxiv.org/search/?query=${encodeURIComponent(whole)}&searchtype=title`);
    expect(new URL(hf!).searchParams.get('q')).toBe(whole);
    expect(searchQuery('Ünïcode Título: Señales')).toBe(encodeURIComponent('Ünïcode Título: Señales'));
    expect(searchQuery('a & b # c ? d')).toBe('a%20%26%20b%20%23%20c%20%3F%20d');
    expect(paperLinks({ arxivId: null, title: 'word '.repeat(200) }).primary.length).toBeLessThan(1000);
  });

  it('adds the code repository and project page a source gives, http(s) only', () => {
    const extra = { githubRepo: 'https://github.com/org/repo', projectPage: 'https://org.github.io/proj/?a=1&b="x"' };
    expect(paperLinks({ arxivId: '2410.17243', title: 'T', extra }).links.slice(3)).toEqual([
      { label: 'Code', url: 'https://github.com/org/repo' },
      { label: 'Project page', url: 'https://org.github.io/proj/?a=1&b=%22x%22' },
    ]);
    expect(paperLinks({ arxivId: null, title: 'T', extra: { githubRepo: 'https://github.com/o/r' } }).links.map((l) => l.label)).toEqual(['Search Hugging Face', 'Search arXiv', 'Code']);
    for (const bad of ['javascript:alert(1)', 'data:text/html,x', '//evil.example', 'github.com/o/r', 'https://user:pw@example.org/', 'ftp://example.org/', ' ', 42]) {
      expect(paperLinks({ arxivId: '2410.17243', title: 'T', extra: { githubRepo: bad as string, projectPage: bad as string } }).links).toHaveLength(3);
    }
  });
});

describe('cutAbstract', () => {
  const s = (n: number, len = 60) => `Sentence ${n} ${'x'.repeat(len - 12)}.`;

  it('keeps short abstracts whole', () => {
    expect(cutAbstract('One. Two.', 350)).toBe('One. Two.');
  });

  it('keeps at most three whole sentences within the budget, then …', () => {
    const text = [1, 2, 3, 4, 5].map((n) => s(n)).join(' ');
    expect(cutAbstract(text, 350)).toBe(`${s(1)} ${s(2)} ${s(3)} …`);
    expect(cutAbstract(text, 140)).toBe(`${s(1)} ${s(2)} …`);
  });

  it('cuts a first sentence longer than the budget on a word boundary', () => {
    const out = cutAbstract(`${'word '.repeat(200)}end.`, 350);
    expect(Array.from(out).length).toBeLessThanOrEqual(350);
    expect(out).toMatch(/word…$/);
  });

  it('does not split after abbreviations or initials', () => {
    expect(sentences('We use e.g. LoRA and cf. Fig. 2 here. Then J. Smith agrees. Done')).toEqual([
      'We use e.g. LoRA and cf. Fig. 2 here.',
      'Then J. Smith agrees.',
      'Done',
    ]);
  });
});

describe('dates', () => {
  it('formats YYYY-MM-DD in UTC without a clock', () => {
    expect(formatDate('2026-11-24')).toBe('24 Nov 2026');
    expect(formatDate('2026-11-24', true)).toBe('Tue, 24 Nov 2026');
    expect(formatDate('2026-09-01')).toBe('1 Sep 2026');
    expect(formatDateRange('2026-11-18', '2026-11-24')).toBe('18 – 24 Nov 2026');
    expect(formatDateRange('2026-10-28', '2026-11-03')).toBe('28 Oct – 3 Nov 2026');
    expect(formatDate('not a date')).toBe('not a date');
  });
});
