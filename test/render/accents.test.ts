// LaTeX accents (`Rozi\`ere`, `Nystr\"om`, `\c{c}`) read as letters in every output; the paper keeps its text as written.
import * as cheerio from 'cheerio';
import { describe, expect, it } from 'vitest';
import { buildDigest } from '../../src/edition/digest.ts';
import { fillRecipient, renderDigestHtml } from '../../src/render/email.ts';
import { renderFeeds } from '../../src/render/feeds.ts';
import { readable, readableAuthors } from '../../src/render/readable.ts';
import { renderSite } from '../../src/render/site.ts';
import { CTX, RECIPIENT, TOPICS, edition, ep, paper } from './factory.ts';

describe('readable: text accents', () => {
  it.each([
    ['Rozi\\`ere', 'Rozière'],
    ['Nystr\\"om', 'Nyström'],
    ['T\\"ULU 3', 'TÜLU 3'],
    ["caf\\'e", 'café'],
    ['h\\^otel', 'hôtel'],
    ['Pe\\~na', 'Peña'],
    ['Fran\\c{c}ois and Fran\\c cois', 'François and François'],
    ['{\\"u}ber and \\"{u}ber and {\\"{u}}ber', 'über and über and über'],
    ["{\\'e}t{\\'e}", 'été'],
    ["Mart\\'{\\i}nez and Mart\\'\\i nez", 'Martínez and Martínez'],
    ['Erd\\H{o}s, \\v{S}koda, \\k{a}, \\u{g}, \\r{A}ngstr\\"om', 'Erdős, Škoda, ą, ğ, Ångström'],
    ['Sm{\\o}rgrav, Bj\\o rn, Stra\\ss e, {\\aa}se, \\L{}ukasz', 'Smørgrav, Bjørn, Straße, åse, Łukasz'],
    ['\\textbf{G\\"{o}del} and $\\alpha$', 'Gödel and α'],
  ])('%s → %s', (input, out) => {
    expect(readable(input)).toBe(out);
  });

  it('leaves escaped quotes and apostrophes alone (no stray combining marks)', () => {
    expect(readable('the \\"best\\" one')).toBe('the \\"best\\" one');
    expect(readable("don\\'t")).toBe("don\\'t");
    expect(readable('\\ie, \\eg~this, {\\it italic}')).toBe('i.e., e.g. this, italic');
  });

  it('authors too', () => {
    expect(readableAuthors(['Baptiste Rozi\\`ere', 'Nystr\\"om'])).toBe('Baptiste Rozière, Nyström');
  });
});

describe('accents in every output', () => {
  const title = 'T\\"ULU 3 meets Nystr\\"om attention, by Rozi\\`ere';
  const abstract = 'We extend Nystr\\"om methods (Fran\\c{c}ois et al.). It works.';
  const authors = ['Baptiste Rozi\\`ere', 'J{\\"u}rgen Schmidhuber'];
  const accented = paper({ title, abstract, authors, arxivId: '2411.07777', upvotes: 5 });
  const e = edition('2026-11-24', [ep(accented, ['llm', ['LLM']])]);
  const shownTitle = 'TÜLU 3 meets Nyström attention, by Rozière';

  it('email HTML and text', async () => {
    const digest = buildDigest([e], { topics: null, cadence: 'daily' }, TOPICS);
    const rendered = await renderDigestHtml(digest, CTX);
    const { html, text } = fillRecipient(rendered, RECIPIENT);
    const $ = cheerio.load(html);
    expect($('.pb-title').text()).toBe(shownTitle);
    expect($('body').text()).toContain('Baptiste Rozière, Jürgen Schmidhuber');
    expect($('body').text()).toContain('Nyström methods (François et al.)');
    expect(text).toContain(shownTitle);
    expect(text).toContain('Jürgen');
    expect(rendered.subject).toContain(shownTitle);
    for (const out of [html, text, rendered.subject]) expect(out).not.toMatch(/\\["`c]/);
  });

  it('feeds (RSS and JSON) and site pages', () => {
    const input = { editions: [e], topics: TOPICS, baseUrl: CTX.baseUrl };
    const feeds = renderFeeds(input);
    const rss = cheerio.load(feeds.get('feeds/all.xml')!, { xml: true });
    expect(rss('item > title').text()).toBe(shownTitle);
    expect(rss('item > description').text()).toContain('Nyström methods (François');
    const json = JSON.parse(feeds.get('feeds/all.json')!);
    expect(json.items[0].title).toBe(shownTitle);
    expect(json.items[0].authors.map((a: { name: string }) => a.name)).toEqual(['Baptiste Rozière', 'Jürgen Schmidhuber']);
    const site = renderSite(input);
    for (const page of ['index.html', 'archive/2026-11-24.html']) {
      expect(cheerio.load(site.get(page)!)('body').text(), page).toContain(shownTitle);
      expect(site.get(page), page).not.toMatch(/\\["`c]/);
    }
  });

  it('the stored paper keeps its text as written', () => {
    expect(accented.title).toBe(title);
    expect(accented.abstract).toBe(abstract);
    expect(accented.authors).toEqual(authors);
  });
});
