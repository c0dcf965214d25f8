// Where a digest's "view in browser" and "N more" links go, checked against the page the site generator writes.
import * as cheerio from 'cheerio';
import { describe, expect, it } from 'vitest';
import type { Selection } from '../../src/domain.ts';
import { buildDigest } from '../../src/edition/digest.ts';
import { archiveUrlFor, fillRecipient, renderDigestHtml } from '../../src/render/email.ts';
import { editionPage } from '../../src/render/site.ts';
import { RECIPIENT, TOPICS, edition, ep, paper, seedEdition } from './factory.ts';

const BASE = 'https://paperboy.example.org';
const daily: Selection = { topics: null, cadence: 'daily' };

async function links(digest: ReturnType<typeof buildDigest>) {
  const $ = cheerio.load(fillRecipient(await renderDigestHtml(digest, { baseUrl: BASE, topics: TOPICS }), RECIPIENT).html);
  const href = (label: string) => $('a').filter((_, a) => $(a).text() === label).map((_, a) => $(a).attr('href')).get();
  const more = $('a').filter((_, a) => $(a).text().includes('more in the web archive')).map((_, a) => $(a).attr('href')!).get();
  return { view: href('View in browser'), more };
}

describe('archive links', () => {
  it('a daily digest links its edition page, and each "more" lands on a section the page really has', async () => {
    const e = seedEdition('2026-11-24', 120);
    const picky = buildDigest([e], { topics: ['vision', 'rl', 'audio'], cadence: 'daily' }, TOPICS, { totalBudget: 6 });
    for (const digest of [buildDigest([e], daily, TOPICS), picky]) {
      const { view, more } = await links(digest);
      expect(view).toEqual([`${BASE}/archive/2026-11-24.html`, `${BASE}/archive/2026-11-24.html`]);
      expect(more.length).toBeGreaterThan(0);
      const page = cheerio.load(editionPage({ editions: [e], topics: TOPICS, baseUrl: BASE }, e, undefined, undefined));
      for (const href of more) {
        const [url, anchor] = href.split('#');
        expect(url).toBe(`${BASE}/archive/2026-11-24.html`);
        if (digest !== picky) expect(anchor).toMatch(/^topic-/);
        if (anchor !== undefined) expect(page(`[id="${anchor}"]`).length, href).toBe(1);
      }
    }
  });

  it('a section made only of "also in" papers links the edition page, which has no section for that topic', async () => {
    const alsoRl = Array.from({ length: 8 }, (_, i) => ep(paper({ title: `agentic ${i}`, upvotes: 10 - i }), ['llm', ['LLM']], ['rl', ['agent']]));
    const e = edition('2026-11-24', alsoRl);
    const { more } = await links(buildDigest([e], { topics: ['rl'], cadence: 'daily' }, TOPICS, { totalBudget: 3 }));
    expect(more).toEqual([`${BASE}/archive/2026-11-24.html`]);
    const page = cheerio.load(editionPage({ editions: [e], topics: TOPICS, baseUrl: BASE }, e, undefined, undefined));
    expect(page('#topic-rl').length).toBe(0);
  });

  it('a week of editions links the archive index (the send day may have no page), "more" too', async () => {
    const week = buildDigest([seedEdition('2026-11-20', 60), seedEdition('2026-11-23', 60, 60)], { topics: null, cadence: 'weekly' }, TOPICS);
    expect(archiveUrlFor(BASE, week)).toBe(`${BASE}/archive/`);
    const { view, more } = await links(week);
    expect(view).toEqual([`${BASE}/archive/`, `${BASE}/archive/`]);
    expect(more.length).toBeGreaterThan(0);
    for (const href of more) expect(href).toBe(`${BASE}/archive/`);
  });

  it('a week with one edition links that edition page, whatever day it is sent', () => {
    const one = buildDigest([seedEdition('2026-11-21', 30)], { topics: null, cadence: 'weekly' }, TOPICS);
    expect(archiveUrlFor(BASE, one)).toBe(`${BASE}/archive/2026-11-21.html`);
    expect(archiveUrlFor(BASE, buildDigest([], { topics: null, cadence: 'weekly' }, TOPICS))).toBe(`${BASE}/archive/`);
  });
});
