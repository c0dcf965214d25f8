// Gmail clips messages past ~102 KB: a 500-paper edition must stay under 90 KB thanks to the budget.
import * as cheerio from 'cheerio';
import { describe, expect, it } from 'vitest';
import { buildDigest } from '../../src/edition/digest.ts';
import { fillRecipient, renderDigestHtml } from '../../src/render/email.ts';
import { CTX, RECIPIENT, TOPICS, hugeEdition } from './factory.ts';

const LIMIT = 90 * 1000;
const huge = hugeEdition('2026-11-24', 500);

describe('size budget', () => {
  it.each([
    ['all topics', null],
    ['one topic', ['llm']],
    ['three topics', ['vision', 'rl', 'audio']],
  ] as const)('a 500-paper edition with long titles and abstracts stays under 90 KB (%s)', async (_name, topics) => {
    const digest = buildDigest([huge], { topics: topics === null ? null : [...topics], cadence: 'daily' }, TOPICS);
    const rendered = await renderDigestHtml(digest, CTX);
    const { html } = fillRecipient(rendered, { ...RECIPIENT, unsubscribeUrl: `${RECIPIENT.unsubscribeUrl}&k=${'x'.repeat(200)}` });
    const bytes = Buffer.byteLength(html, 'utf8');
    console.info(`500-paper digest (${_name}): ${(bytes / 1024).toFixed(1)} KiB, ${digest.sections.reduce((n, s) => n + s.papers.length, 0)} cards`);
    expect(bytes).toBeLessThan(LIMIT);
    expect(rendered.htmlBytes).toBeLessThan(LIMIT);

    // What was cut is one click away, with the right count per section.
    const $ = cheerio.load(html);
    for (const s of digest.sections.filter((x) => x.total > 0)) {
      expect(s.more).toBeGreaterThan(0);
      const more = $(`a[href="${CTX.archiveUrl}#topic-${s.topic.slug}"]`);
      expect(more.text()).toBe(`${s.more} more in the web archive →`);
    }
    expect($('.pb-card').length).toBe(digest.sections.reduce((n, s) => n + s.papers.length, 0));
  });

  it('without a budget the same edition would be clipped, so the budget is what keeps it small', async () => {
    const digest = buildDigest([huge], { topics: null, cadence: 'daily' }, TOPICS, { perSectionBudget: 1000, totalBudget: 1000 });
    const rendered = await renderDigestHtml(digest, CTX);
    expect(rendered.htmlBytes).toBeGreaterThan(LIMIT * 5);
  });
});
