// A source's code repository, project page and one-line summary reach the card (email HTML and text, site pages), escaped.
import * as cheerio from 'cheerio';
import { describe, expect, it } from 'vitest';
import { buildDigest } from '../../src/edition/digest.ts';
import { fillRecipient, renderDigestHtml } from '../../src/render/email.ts';
import { renderSite } from '../../src/render/site.ts';
import { CTX, RECIPIENT, TOPICS, edition, ep, paper } from './factory.ts';

const withExtras = paper({
  title: 'Grasping Anything with Tactile Nystr\\"om Features',
  arxivId: '2411.07001',
  extra: {
    githubRepo: 'https://github.com/org/grasp',
    projectPage: 'https://org.github.io/grasp/?v=1&x="<b>"',
    aiSummary: 'A <b>tactile</b> model & a Nystr\\"om trick grasp unseen objects.',
  },
});
const hostile = paper({
  title: 'A Paper Whose Links Are Hostile',
  arxivId: '2411.07002',
  extra: { githubRepo: 'javascript:alert(1)', projectPage: 'data:text/html,<script>alert(1)</script>' },
});
const plain = paper({ title: 'A Paper Without An Id Whose Title Runs On For Well Over Eight Words Today', abstract: 'Short. Fine.' });
const e = edition('2026-11-24', [ep(withExtras, ['rl', ['agent']]), ep(hostile, ['rl', ['agent']]), ep(plain, ['rl', ['agent']])]);
const digest = buildDigest([e], { topics: null, cadence: 'daily' }, TOPICS);
const PROJECT = 'https://org.github.io/grasp/?v=1&x=%22%3Cb%3E%22';
const SUMMARY = 'AI summary: A <b>tactile</b> model & a Nyström trick grasp unseen objects.';

function cardLinks($: cheerio.CheerioAPI, card: cheerio.Cheerio<any>) {
  return card.find('a').map((_, a) => [[$(a).text(), $(a).attr('href')]]).get();
}

describe('source extras on the card', () => {
  it('email HTML: Code and Project page links (escaped, http only), the summary as text', async () => {
    const { html } = fillRecipient(await renderDigestHtml(digest, CTX), RECIPIENT);
    const $ = cheerio.load(html);
    const card = (t: string) => $('.pb-card').filter((_, el) => $(el).find('.pb-title').text().startsWith(t));
    expect(cardLinks($, card('Grasping'))).toContainEqual(['Code', 'https://github.com/org/grasp']);
    expect(cardLinks($, card('Grasping'))).toContainEqual(['Project page', PROJECT]);
    expect(card('Grasping').text()).toContain(SUMMARY);
    expect(card('Grasping').find('b').length).toBe(0);
    expect(cardLinks($, card('A Paper Whose')).map(([label]) => label)).toEqual(['A Paper Whose Links Are Hostile', 'arXiv', 'PDF', 'Hugging Face']);
    expect(html).not.toMatch(/javascript:|data:text/);
    const q = encodeURIComponent('A Paper Without An Id Whose Title Runs On For Well Over Eight Words Today');
    expect(cardLinks($, card('A Paper Without'))).toContainEqual(['Search Hugging Face', `https://huggingface.co/papers?q=${q}`]);
  });

  it('text part: the summary and the links, each URL whole', async () => {
    const { text } = fillRecipient(await renderDigestHtml(digest, CTX), RECIPIENT);
    expect(text.replace(/\n\s+/g, ' ')).toContain(SUMMARY);
    expect(text).toMatch(/^ {3}Code: https:\/\/github\.com\/org\/grasp$/m);
    expect(text).toMatch(new RegExp(`^ {3}Project page: ${PROJECT.replace(/[.?]/g, '\\$&')}$`, 'm'));
    expect(text).not.toMatch(/javascript:|data:text/);
  });

  it('site edition page: the same links and summary', () => {
    const page = renderSite({ editions: [e], topics: TOPICS, baseUrl: CTX.baseUrl }).get('archive/2026-11-24.html')!;
    const $ = cheerio.load(page);
    const card = $('article.card').filter((_, el) => $(el).find('h3').text().startsWith('Grasping'));
    expect(cardLinks($, card)).toContainEqual(['Code', 'https://github.com/org/grasp']);
    expect(cardLinks($, card)).toContainEqual(['Project page', PROJECT]);
    expect(card.find('.summary').text()).toBe(SUMMARY);
    expect(page).not.toMatch(/javascript:|data:text/);
  });
});
