// The plain-text part: written from the digest, wrapped at 78 columns, the same links as the HTML.
import * as cheerio from 'cheerio';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildDigest } from '../../src/edition/digest.ts';
import { fillRecipient, renderDigestHtml } from '../../src/render/email.ts';
import { TEXT_WIDTH, wrap } from '../../src/render/text.ts';
import { CTX, RECIPIENT, TOPICS, XSS_TITLE, featureEdition, hugeEdition, seedEdition } from './factory.ts';

const cols = (s: string) => Array.from(s).length;
const loneUrl = (line: string) => /^https?:\/\/\S+$/.test(line.trim());
const urlsIn = (text: string) => new Set(text.match(/https?:\/\/\S+/g) ?? []);
const hrefsIn = (html: string) => {
  const $ = cheerio.load(html);
  return new Set($('a[href]').map((_, a) => $(a).attr('href')!).get().filter((h) => !h.startsWith('#')));
};

const cases = {
  feature: buildDigest([featureEdition()], { topics: ['vision', 'llm', 'safety'], cadence: 'daily' }, TOPICS, { perSectionBudget: 5, totalBudget: 7 }),
  seeds: buildDigest([seedEdition('2026-11-24', 120)], { topics: null, cadence: 'daily' }, TOPICS),
  huge: buildDigest([hugeEdition('2026-11-24', 500)], { topics: null, cadence: 'weekly' }, TOPICS),
};
const out: Record<string, { html: string; text: string }> = {};

beforeAll(async () => {
  for (const [name, d] of Object.entries(cases)) out[name] = fillRecipient(await renderDigestHtml(d, CTX), RECIPIENT);
});

describe('text part', () => {
  it.each(Object.keys(cases))('%s: no line over 78 columns except a lone URL', (name) => {
    const long = out[name]!.text.split('\n').filter((l) => cols(l) > TEXT_WIDTH && !loneUrl(l));
    expect(long).toEqual([]);
  });

  it.each(Object.keys(cases))('%s: has exactly the links of the HTML part', (name) => {
    const { html, text } = out[name]!;
    expect([...urlsIn(text)].sort()).toEqual([...hrefsIn(html)].sort());
  });

  it('carries header, contents, sections, cards, "more", trending and footer', () => {
    const text = out.feature!.text;
    expect(text).toMatch(/^PAPERBOY · DAILY DIGEST\nTue, 24 Nov 2026\n\n12 new papers in 2 of your topics\n/);
    expect(text).toMatch(/Contents\n {2}Language models \.+ 10\n {2}Vision \.+ 2\n/);
    expect(text).toContain('Trending: test-time scaling (4)');
    expect(text).toContain('Nothing new today in Safety & alignment.');
    expect(text).toContain('LANGUAGE MODELS · 10\n====================\n');
    expect(text).toContain(`1. ${XSS_TITLE}\n   Ada Lovelace, Alan Turing, Grace Hopper et al. · 42 upvotes\n`);
    expect(text).toContain('   We quantize everything. It works well. Then we do more. …\n');
    expect(text).toContain('   matched: quantization, LoRA, pruning · also in: Efficiency\n');
    expect(text).toContain('   arXiv: https://arxiv.org/abs/2411.00042\n   PDF: https://arxiv.org/pdf/2411.00042\n   Hugging Face: https://huggingface.co/papers/2411.00042\n');
    expect(text).toContain('Splitting H₂O with 𝒪(n) steps');
    expect(text).toContain(`5 more in the web archive:\n${CTX.archiveUrl}#topic-llm\n`);
    expect(text).toContain(`Unsubscribe:\n${RECIPIENT.unsubscribeUrl}\n`);
    expect(text).toContain(`Manage topics:\n${RECIPIENT.preferencesUrl}\n`);
    expect(text).toContain(`This copy went to:\n${RECIPIENT.email}\n`);
  });

  it('shows the same papers in the same order as the HTML', () => {
    const $ = cheerio.load(out.seeds!.html);
    const titles = $('.pb-title').map((_, a) => $(a).text()).get();
    expect(titles.length).toBe(cases.seeds.sections.reduce((n, s) => n + s.papers.length, 0));
    // Undo the hanging indent so wrapped titles read as one line again.
    const flat = out.seeds!.text.replace(/\n {3,4}(?=\S)/g, ' ');
    let at = 0;
    for (const t of titles) {
      const next = flat.indexOf(`. ${t}`, at);
      expect(next, t).toBeGreaterThan(at);
      at = next;
    }
  });
});

describe('wrap', () => {
  it('wraps on spaces, indents, and never breaks a long URL', () => {
    const url = `https://example.org/${'a'.repeat(100)}`;
    expect(wrap(`see ${url} now`, '  ', '* ', 20)).toEqual(['* see', `  ${url}`, '  now']);
    expect(wrap('one two three four five', '', '', 9)).toEqual(['one two', 'three', 'four five']);
    expect(wrap(`a ${'x'.repeat(25)} b`, '  ', '  ', 12)).toEqual(['  a', `  ${'x'.repeat(10)}`, `  ${'x'.repeat(10)}`, '  xxxxx b']);
  });
});
