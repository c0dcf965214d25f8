// The pure seed parsers on the real seeds, the real HF JSON, a saved-page HTML, and hand-made edge cases.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeSeed } from '../../src/ingest/decode.ts';
import { titleKey } from '../../src/paper-ids.ts';
import { parseSeed } from '../../src/ingest/parse.ts';
import { MAX_AUTHOR_CHARS } from '../../src/ingest/paper.ts';
import { FIXTURES, SEEDS } from '../helpers/tmp.ts';

const seed = (name: string) => decodeSeed(readFileSync(join(SEEDS, name)));
const hfJson = readFileSync(join(FIXTURES, 'hf-daily-papers-2024-10-25.json'), 'utf8');
const rejected = (text: string) => {
  try {
    parseSeed(text);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected the seed to be rejected');
};

describe('hf-text page dumps', () => {
  it('reads every title/abstract pair of the four seeds: 529 pairs, 516 distinct papers', () => {
    const counts: Record<string, number> = {};
    const keys: string[] = [];
    for (const f of readdirSync(SEEDS).sort()) {
      const r = parseSeed(seed(f));
      expect(r.format).toBe('hf-text');
      expect(r.problems).toEqual([]);
      counts[f] = r.papers.length;
      keys.push(...r.papers.map((p) => titleKey(p.title)));
    }
    expect(Object.values(counts)).toEqual([136, 170, 119, 104]);
    expect(keys.length).toBe(529);
    expect(new Set(keys).size).toBe(516);
  });

  it('skips the header lines with blank lines between (seed 000)', () => {
    const first = parseSeed(seed('000_85cfc0436d41684a.txt')).papers[0]!;
    expect(first.title).toBe('LLM as Effective Streaming Processor: Bridging Streaming-Batch Mismatches with Group Position Encoding');
    expect(first.abstract).toMatch(/^Large Language Models \(LLMs\) are primarily designed for batch processing\./);
    expect(first.line).toBe(13);
  });

  it('unglues the first title from the Subscribe button and reads lines without blank lines between', () => {
    const r = parseSeed(seed('002_3519c79454df5631.txt'));
    expect(r.papers[0]!.title).toBe(
      'ARMOR v0.1: Empowering Autoregressive Multimodal Understanding Model with Interleaved Multimodal Generation via Asymmetric Synergy',
    );
    expect(r.papers.some((p) => p.title.startsWith('Subscribe'))).toBe(false);
    expect(r.papers[1]!.line).toBe(r.papers[0]!.line + 2);
  });

  it('keeps LaTeX as written', () => {
    const all = readdirSync(SEEDS).flatMap((f) => parseSeed(seed(f)).papers);
    expect(all.some((p) => p.title.includes('H$_2$O'))).toBe(true);
  });

  it('accepts CRLF and CR line ends and header variants', () => {
    const text = 'Daily Papers\r\nbyAK and the research community\r\nOct 25, 2024\r\n\r\nA Title\r\nAn abstract that is long enough.\r\nB Title\rB abstract.\r';
    const r = parseSeed(decodeSeed(new TextEncoder().encode(text)));
    expect(r.papers.map((p) => p.title)).toEqual(['A Title', 'B Title']);
  });

  it('treats a very long line where a title is expected as the next paragraph of the abstract', () => {
    const para = 'More of the abstract. '.repeat(30);
    const r = parseSeed(`Daily Papers\nT1\nA1 first paragraph.\n${para}\nT2\nA2.`);
    expect(r.papers.map((p) => p.title)).toEqual(['T1', 'T2']);
    expect(r.papers[0]!.abstract).toContain('More of the abstract.');
  });

  it('keeps the papers of a dump whose last title has no abstract, and reports that title', () => {
    const r = parseSeed('Daily Papers\nT1\nA1.\nT2\n');
    expect(r.papers.map((p) => p.title)).toEqual(['T1']);
    expect(r.problems).toEqual([{ line: 4, message: 'a title with no abstract at the end of the file (cut off?): "T2"' }]);
  });

  // Realistic abstracts: several sentences, a few hundred characters, a full stop at the end.
  const abs = (topic: string) => `We study ${topic} in depth. Our method improves on prior work across many benchmarks and settings. `.repeat(3).trim();

  it('keeps a short last paragraph (a code link) with its abstract instead of taking it for a title', () => {
    const text = `Daily Papers\nPaper One\n${abs('one')}\nCode is available at https://github.com/x/y.\nPaper Two\n${abs('two')}\nhttps://example.org/two\nPaper Three\n${abs('three')}`;
    const r = parseSeed(text);
    expect(r.papers.map((p) => p.title)).toEqual(['Paper One', 'Paper Two', 'Paper Three']);
    expect(r.papers[0]!.abstract).toMatch(/settings\. Code is available at https:\/\/github\.com\/x\/y\.$/);
    expect(r.papers[1]!.abstract).toMatch(/https:\/\/example\.org\/two$/);
    expect(r.problems).toEqual([]);
  });

  it('reports a title that lost its abstract and keeps the papers around it in step', () => {
    const r = parseSeed(`Daily Papers\nPaper Alpha\n${abs('alpha')}\nPaper Beta Has No Abstract\nPaper Gamma\n${abs('gamma')}\nPaper Delta\n${abs('delta')}`);
    expect(r.papers.map((p) => p.title)).toEqual(['Paper Alpha', 'Paper Gamma', 'Paper Delta']);
    expect(r.papers[1]!.abstract).toContain('gamma');
    expect(r.problems).toEqual([{ line: 4, message: 'a title with no abstract ("Paper Beta Has No Abstract")' }]);
  });

  it('joins a title wrapped over two lines', () => {
    const r = parseSeed(`Daily Papers\nSteering Knowledge Selection with SAE-Based\nRepresentation Engineering\n${abs('steering')}\nUnified Models for\nvision and language\n${abs('vision')}`);
    expect(r.papers.map((p) => p.title)).toEqual(['Steering Knowledge Selection with SAE-Based Representation Engineering', 'Unified Models for vision and language']);
    expect(r.problems).toEqual([]);
  });

  it('skips the header of a second page pasted after the first', () => {
    const combined = `${seed('000_85cfc0436d41684a.txt')}\n${seed('001_9d2220cffeb7fbb9.txt')}\n${seed('002_3519c79454df5631.txt')}`;
    const r = parseSeed(combined);
    expect(r.papers).toHaveLength(136 + 170 + 119);
    expect(r.problems).toEqual([]);
    const titles = r.papers.map((p) => p.title);
    for (const chrome of ['new', 'Subscribe', 'Mar 11', 'byAK and the research community']) expect(titles).not.toContain(chrome);
    expect(titles).toContain('ZipLM: Hardware-Aware Structured Pruning of Language Models');
    expect(titles.some((t) => t.startsWith('ARMOR v0.1'))).toBe(true);
  });

  it('does not take any text file for a page dump', () => {
    const readme = readFileSync(join(SEEDS, '..', 'README.md'), 'utf8');
    expect(rejected(readme)).toMatch(/^not a Daily Papers page dump: no page header/);
    expect(rejected('Roses are red\nViolets are blue\nSugar is sweet\nAnd so are you\n')).toMatch(/^not a Daily Papers page dump/);
    expect(rejected('hello world\n')).toMatch(/^not a Daily Papers page dump: no page header .* 1 of 1 entries/);
    // Title/abstract pairs that read as papers need no header.
    expect(parseSeed(`Paper One\n${abs('one')}\nPaper Two\n${abs('two')}\n`).papers).toHaveLength(2);
  });

  it('keeps every paper of a dump cut off in the middle of its last abstract, the last one in doubt', () => {
    const whole = seed('001_9d2220cffeb7fbb9.txt');
    const cut = whole.slice(0, whole.lastIndexOf('.', whole.length - 200) - 7);
    const r = parseSeed(cut);
    expect(r.papers).toHaveLength(parseSeed(whole).papers.length);
    expect(r.papers.filter((p) => p.doubt).map((p) => p.line)).toEqual([r.papers.at(-1)!.line]);
    expect(r.papers.at(-1)!.doubt).toMatch(/^the abstract may be cut off: the last one in the file ends without a full stop/);
  });

  it('strips control and bidi characters from titles and abstracts', () => {
    const r = parseSeed('Daily Papers\nEvil\u0007 \u202Etitle\u0000x\u061C\nAbstract\u001b[31m red.');
    expect(r.papers[0]!.title).toBe('Evil titlex');
    expect(r.papers[0]!.abstract).toBe('Abstract[31m red.');
  });

  it('cuts an over-long author name without splitting a character made of two UTF-16 units', () => {
    const long = 'A'.repeat(MAX_AUTHOR_CHARS - 2) + '\u{1D4D0}' + 'B'.repeat(50); // the math letter straddles the cut
    const r = parseSeed(JSON.stringify([{ paper: { id: '2501.00002', title: 'A Title About Names', summary: 'Long names. Cut well.', authors: [{ name: long }] } }]));
    const cut = r.papers[0]!.authors[0]!;
    expect(cut).toBe(`${'A'.repeat(MAX_AUTHOR_CHARS - 2)}…`);
    expect(cut.isWellFormed()).toBe(true);
  });
});

describe('hf-json API responses', () => {
  it('reads the real 2024-10-25 response: 29 papers with arXiv ids, authors and upvotes', () => {
    const r = parseSeed(hfJson);
    expect(r.format).toBe('hf-json');
    expect(r.papers).toHaveLength(29);
    const p = r.papers[0]!;
    expect(p.arxivId).toBe('2410.17243');
    expect(p.title).toBe('Breaking the Memory Barrier: Near Infinite Batch Size Scaling for Contrastive Loss');
    expect(p.abstract).not.toContain('\n');
    expect(p.authors[0]).toBe('Zesen Cheng');
    expect(p.upvotes).toBe(64);
    expect(p.publishedAt).toBe('2024-10-22T17:59:30.000Z');
  });

  it('keeps the fields newer responses add, and only http(s) links', () => {
    const item = {
      paper: {
        id: '2501.00001v2',
        title: 'New Paper',
        summary: 'Summary.',
        ai_summary: 'AI summary.',
        ai_keywords: ['diffusion', 42, 'LoRA'],
        githubRepo: 'https://github.com/x/y',
        projectPage: 'javascript:alert(1)',
      },
    };
    const p = parseSeed(JSON.stringify([item])).papers[0]!;
    expect(p.arxivId).toBe('2501.00001');
    expect(p.extra).toEqual({ aiSummary: 'AI summary.', aiKeywords: ['diffusion', 'LoRA'], githubRepo: 'https://github.com/x/y' });
  });

  it('skips items without a title and reports them by position', () => {
    const r = parseSeed(JSON.stringify([{ paper: { id: '2501.00001', title: 'Ok', summary: 's' } }, { paper: { id: 'x' } }]));
    expect(r.papers).toHaveLength(1);
    expect(r.problems).toEqual([{ line: 2, message: 'entry has no title' }]);
  });

  it('keeps the whole items of truncated JSON; rejects JSON without a paper list', () => {
    const cut = parseSeed(hfJson.slice(0, 10_000));
    expect(cut.papers.map((p) => p.arxivId)).toEqual(['2410.17243', '2410.16251']);
    expect(cut.problems).toEqual([{ line: 3, message: expect.stringMatching(/^not valid JSON from item 3 on \(cut off\?\)/) }]);
    // One broken item in the middle: the items before it are kept.
    const items = JSON.parse(hfJson) as unknown[];
    const broken = `[${JSON.stringify(items[0])},${JSON.stringify(items[1])},{"paper": {"title": "Bro"ken"}},${JSON.stringify(items[3])}]`;
    expect(parseSeed(broken).papers).toHaveLength(2);
    expect(rejected(hfJson.slice(0, 500))).toMatch(/^not valid JSON \(truncated\?\)/);
    expect(rejected('{"hello": "world"}')).toBe('JSON holds no list of daily papers');
    expect(rejected('[]')).toMatch(/no papers found/);
  });
});

describe('hf-html saved pages', () => {
  const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;');

  it('reads the list from data-props of the DailyPapers widget', () => {
    const props = JSON.stringify({ dailyPapers: JSON.parse(hfJson) });
    const html = `<!doctype html><html><body><div data-target="DailyPapers" data-props="${escapeAttr(props)}"></div></body></html>`;
    const r = parseSeed(html);
    expect(r.format).toBe('hf-html');
    expect(r.papers).toHaveLength(29);
    expect(r.papers[1]!.arxivId).toBe('2410.16251');
  });

  it('falls back to the visible article cards', () => {
    const html = `<html><body>
      <article><h3><a href="/papers/2410.16251">Can Knowledge Editing Really Correct Hallucinations?</a></h3><p>Abstract one.</p></article>
      <article><h3><a href="/papers/2410.18533">LOGO &amp; friends</a></h3></article>
    </body></html>`;
    const r = parseSeed(html);
    expect(r.papers.map((p) => [p.arxivId, p.title])).toEqual([
      ['2410.16251', 'Can Knowledge Editing Really Correct Hallucinations?'],
      ['2410.18533', 'LOGO & friends'],
    ]);
  });

  it('rejects a page without papers', () => {
    expect(rejected('<html><body><p>Hello</p></body></html>')).toMatch(/no DailyPapers list/);
  });

  it('rejects markup nested deeper than any browser nests, before the HTML parser spends minutes on it', () => {
    // 40,000 nested <div>s (440 KB) took parse5 30 s (this test's time limit is 5 s); 300,000 (3 MB) over 10 minutes.
    const n = 40_000;
    const html = `<html><body>${'<div>'.repeat(n)}<article><h3><a href="/papers/2410.16251">Deep</a></h3><p>A.</p></article>${'</div>'.repeat(n)}</body></html>`;
    expect(rejected(html)).toMatch(/^HTML nested more than 512 elements deep/);
  });

  it('still reads a page 400 elements deep, with markup inside scripts, comments and void elements not counted', () => {
    const inert = `<script>${'"<div>"+'.repeat(2_000)}""</script><!-- ${'<div>'.repeat(2_000)} --><style>${'<p>'.repeat(2_000)}</style>${'<br><img src=x><hr/>'.repeat(2_000)}`;
    const html = `<html><body>${inert}${'<div>'.repeat(400)}<article><h3><a href="/papers/2410.16251">Deep but fine</a></h3><p>A.</p></article>${'</div>'.repeat(400)}</body></html>`;
    expect(parseSeed(html).papers.map((p) => p.title)).toEqual(['Deep but fine']);
  });

  it('still reads a valid page with hundreds of elements whose end tags HTML lets it leave out (<p>, <li>, <td>)', () => {
    const loose = `<ul>${'<li>item'.repeat(700)}</ul><p>${'<p>para'.repeat(700)}<table>${'<tr><td>a<td>b'.repeat(700)}</table>`;
    const html = `<html><body>${loose}<article><h3><a href="/papers/2410.16251">Loose but fine</a></h3><p>A.</article></body></html>`;
    expect(parseSeed(html).papers.map((p) => p.title)).toEqual(['Loose but fine']);
  });
});

describe('format choice is by content, not name', () => {
  it('detects JSON with leading whitespace and HTML without a doctype', () => {
    expect(parseSeed('\n\n  ' + hfJson).format).toBe('hf-json');
    expect(parseSeed('<div><article><h3><a href="/papers/2410.16251">T</a></h3><p>A</p></article></div>').format).toBe('hf-html');
    // Saved pages that open with an XML prolog, a <meta> or a <title> are still pages.
    const card = '<article><h3><a href="/papers/2410.16251">T</a></h3><p>A</p></article>';
    for (const opening of ['<?xml version="1.0" encoding="utf-8"?>\n<html>', '<meta charset="utf-8">', '<title>Daily Papers</title>']) {
      expect(parseSeed(`${opening}${card}`).format, opening).toBe('hf-html');
    }
  });
});
