// Gmail clips messages past ~102 KB: a 500-paper edition over the real topics.yaml must stay under 90 KB.
import { fileURLToPath } from 'node:url';
import * as cheerio from 'cheerio';
import mjml2html from 'mjml';
import { describe, expect, it, vi } from 'vitest';
import type { Digest, Edition, TopicDef } from '../../src/domain.ts';
import { buildDigest, cardCount } from '../../src/edition/digest.ts';
import { fillRecipient, MAX_HTML_BYTES, renderDigestHtml } from '../../src/render/email.ts';
import { classify } from '../../src/topics/classify.ts';
import { loadTopics } from '../../src/topics/load.ts';
import { CTX, RECIPIENT, TOPICS, edition, hugeEdition, paper, seedPapers } from './factory.ts';

// Count real MJML compiles: the byte cut may recompile, but rarely more than once.
const compiles = vi.hoisted(() => ({ n: 0 }));
vi.mock('mjml', async (importOriginal) => {
  const real = (await importOriginal<{ default: typeof mjml2html }>()).default;
  return { default: (...args: Parameters<typeof mjml2html>) => (compiles.n++, real(...args)) };
});

const LIMIT = 90 * 1000;
const REAL = loadTopics(fileURLToPath(new URL('../../topics.yaml', import.meta.url)));
const REAL_TOPICS: TopicDef[] = REAL.topics;
const ctx = { ...CTX, topics: REAL_TOPICS };

/** Every paper's title cut to `chars` (the huge edition's run to ~295). */
const withTitles = (e: Edition, chars: number): Edition => ({ ...e, papers: e.papers.map((x) => ({ ...x, paper: { ...x.paper, title: x.paper.title.slice(0, chars) } })) });

const huge = hugeEdition('2026-11-24', 500, REAL_TOPICS);
const seeds = edition(
  '2026-11-24',
  seedPapers().map((sp, i) => {
    const p = paper({ ...sp, arxivId: `2411.${String(30000 + i)}`, authors: sp.authors.length ? sp.authors : ['Ada Lovelace', 'Alan Turing', 'Grace Hopper', 'Emmy Noether'] });
    return { paper: p, classification: classify(p, REAL) };
  }),
);

async function measure(digest: Digest) {
  const before = compiles.n;
  const rendered = await renderDigestHtml(digest, ctx);
  const { html } = fillRecipient(rendered, { ...RECIPIENT, unsubscribeUrl: `${RECIPIENT.unsubscribeUrl}&k=${'x'.repeat(200)}`, email: `${'r'.repeat(60)}@example.com` });
  return { rendered, html, bytes: Buffer.byteLength(html, 'utf8'), compiles: compiles.n - before };
}

describe('size budget', () => {
  it('the real topics.yaml has many topics, so the huge edition spreads over all of them', () => {
    expect(REAL_TOPICS.length).toBeGreaterThanOrEqual(20);
    const d = buildDigest([huge], { topics: null, cadence: 'daily' }, REAL_TOPICS);
    expect(d.sections.filter((s) => s.total > 0).length).toBe(REAL_TOPICS.length + 1);
    expect(huge.papers[1]!.paper.title.length).toBeGreaterThan(280);
  });

  it.each([
    ['all topics, ~295-char titles', null, 400],
    ['all topics, 200-char titles', null, 200],
    ['one topic', [REAL_TOPICS[0]!.slug], 400],
    ['ten topics', REAL_TOPICS.slice(0, 10).map((t) => t.slug), 400],
  ] as const)('a 500-paper edition with long titles, abstracts and author lists stays under 90 KB (%s)', async (name, topics, chars) => {
    const digest = buildDigest([withTitles(huge, chars)], { topics: topics === null ? null : [...topics], cadence: 'daily' }, REAL_TOPICS);
    const { rendered, html, bytes, compiles: n } = await measure(digest);
    console.info(`500-paper digest (${name}): ${(bytes / 1024).toFixed(1)} KiB, ${cardCount(rendered.digest)} cards, ${n} compile(s)`);
    expect(bytes).toBeLessThan(LIMIT);
    expect(rendered.htmlBytes).toBeLessThanOrEqual(MAX_HTML_BYTES);
    expect(n).toBeLessThanOrEqual(2);

    // What was cut is one click away, with the right count per section, and the cards match the digest rendered.
    const $ = cheerio.load(html);
    for (const s of rendered.digest.sections.filter((x) => x.total > 0)) {
      const more = $(`a[href="${CTX.archiveUrl}#topic-${s.topic.slug}"]`);
      expect(more.text()).toBe(s.more > 0 ? `${s.more} more in the web archive →` : '');
    }
    if (topics === null) expect(rendered.digest.sections.every((s) => s.more > 0)).toBe(true);
    expect($('.pb-card').length).toBe(cardCount(rendered.digest));
    expect(cardCount(rendered.digest)).toBeGreaterThan(0);
  });

  it('the stock seeds classified by topics.yaml stay under 90 KB', async () => {
    const digest = buildDigest([seeds], { topics: null, cadence: 'daily' }, REAL_TOPICS);
    const { bytes, rendered } = await measure(digest);
    console.info(`stock seeds (${seeds.papers.length} papers): ${(bytes / 1024).toFixed(1)} KiB, ${cardCount(rendered.digest)} cards`);
    expect(bytes).toBeLessThan(LIMIT);
  });

  it('the byte cut drops cards only when needed: a digest that fits is compiled once and left whole', async () => {
    // 30 worst-case cards fit (search links carry whole 300-character titles, so the default 40 no longer do).
    const digest = buildDigest([hugeEdition('2026-11-24', 500)], { topics: null, cadence: 'daily' }, TOPICS, { totalBudget: 30 });
    const { rendered, compiles: n } = await measure(digest);
    expect(n).toBe(1);
    expect(rendered.digest).toBe(digest);
  });

  it('without a budget the same edition would be clipped, so the budget is what keeps it small', async () => {
    const digest = buildDigest([huge], { topics: null, cadence: 'daily' }, REAL_TOPICS, { perSectionBudget: 1000, totalBudget: 1000 });
    const rendered = await renderDigestHtml(digest, ctx, { maxHtmlBytes: Infinity });
    expect(rendered.htmlBytes).toBeGreaterThan(LIMIT * 5);
    // And the byte cut alone brings even that under the limit.
    const cut = await measure(digest);
    expect(cut.bytes).toBeLessThan(LIMIT);
  });
});
