// The digest email's HTML: structure, links, escaping, client limits, placeholders and render-once.
import * as cheerio from 'cheerio';
import mjml2html from 'mjml';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { Selection } from '../../src/domain.ts';
import { buildDigest } from '../../src/edition/digest.ts';
import { digestMjml, digestSubject, fillRecipient, renderDigestHtml, type RenderedDigest } from '../../src/render/email.ts';
import { CTX, MJML_BREAKER, RECIPIENT, TOPICS, XSS_TITLE, featureEdition } from './factory.ts';

// Count real MJML compiles without changing what they do.
const compiles = vi.hoisted(() => ({ n: 0 }));
vi.mock('mjml', async (importOriginal) => {
  const real = (await importOriginal<{ default: typeof mjml2html }>()).default;
  return { default: (...args: Parameters<typeof mjml2html>) => (compiles.n++, real(...args)) };
});

const picky: Selection = { topics: ['vision', 'llm', 'safety'], cadence: 'daily' };
const digest = buildDigest([featureEdition()], picky, TOPICS, { perSectionBudget: 5, totalBudget: 7 });
let rendered: RenderedDigest;
let html: string;
let $: cheerio.CheerioAPI;

beforeAll(async () => {
  rendered = await renderDigestHtml(digest, CTX);
  html = fillRecipient(rendered, RECIPIENT).html;
  $ = cheerio.load(html);
});

const card = (title: string) => $('.pb-card').filter((_, el) => $(el).find('.pb-title').text() === title);
const hrefs = (sel: cheerio.Cheerio<any>) => sel.find('a').map((_, a) => $(a).attr('href')).get();

describe('digest HTML structure', () => {
  it('compiles under MJML strict validation with zero errors', async () => {
    const { errors } = await mjml2html(digestMjml(digest, CTX), { validationLevel: 'strict', fonts: {} });
    expect(errors.length).toBe(0);
  });

  it('shows the date, the counts and a preheader', () => {
    expect($('h1').text()).toBe('12 new papers in 2 of your topics');
    expect($('.pb-head').text()).toContain('Tue, 24 Nov 2026');
    // The preheader is the first text of the body, in a hidden div of its own.
    expect($('body').text().trimStart().startsWith($('.pb-preheader').text())).toBe(true);
    expect($('.pb-preheader').text()).toMatch(/^12 new papers in 2 of your topics: /);
    expect($('title').text()).toBe(rendered.subject);
  });

  it('has one section per non-empty selected topic, in topics-file order, with its count', () => {
    const heads = $('h2.pb-h2').map((_, h) => [[$(h).attr('id'), $(h).text()]]).get();
    expect(heads).toEqual([
      ['topic-llm', 'Language models · 10'],
      ['topic-vision', 'Vision · 2'],
    ]);
    expect($('.pb-head').text()).toContain('Nothing new today in Safety & alignment.');
  });

  it('has a table of contents whose anchors point at the sections', () => {
    const rows = $('.pb-toc tr').map((_, tr) => [[$(tr).find('a').attr('href'), $(tr).find('a').text(), $(tr).find('td').last().text()]]).get();
    expect(rows).toEqual([
      ['#topic-llm', 'Language models', '10'],
      ['#topic-vision', 'Vision', '2'],
    ]);
    for (const [href] of rows) expect($(`[id="${String(href).slice(1)}"]`).length).toBe(1);
  });

  it('cuts sections to the budget and links the rest to the web archive', () => {
    const llm = $('#topic-llm').nextUntil('h2');
    expect(llm.filter('.pb-card').length).toBe(5);
    const more = $('a').filter((_, a) => $(a).text().includes('more in the web archive'));
    expect(more.length).toBe(1);
    expect(more.text()).toBe('5 more in the web archive →');
    expect(more.attr('href')).toBe(`${CTX.archiveUrl}#topic-llm`);
  });

  it('links arXiv abstract, PDF and Hugging Face when the id is known', () => {
    const c = card(XSS_TITLE);
    expect(c.length).toBe(1);
    expect(c.find('.pb-title').attr('href')).toBe('https://arxiv.org/abs/2411.00042');
    expect(hrefs(c)).toEqual([
      'https://arxiv.org/abs/2411.00042',
      'https://arxiv.org/abs/2411.00042',
      'https://arxiv.org/pdf/2411.00042',
      'https://huggingface.co/papers/2411.00042',
    ]);
  });

  it('falls back to Hugging Face and arXiv searches for the readable title', () => {
    const c = card('Splitting H₂O with 𝒪(n) steps');
    expect(c.length).toBe(1);
    const q = encodeURIComponent('Splitting H2O with O(n) steps');
    expect(hrefs(c)).toEqual([
      `https://huggingface.co/papers?q=${q}`,
      `https://huggingface.co/papers?q=${q}`,
      `https://arxiv.org/search/?query=${q}&searchtype=title`,
    ]);
  });

  it('shows authors with et al., upvotes, matched keywords and also-in notes', () => {
    const text = card(XSS_TITLE).text();
    expect(text).toContain('Ada Lovelace, Alan Turing, Grace Hopper et al. · 42 upvotes');
    expect(text).toContain('matched: quantization, LoRA, pruning · also in: Efficiency');
    expect(text).toContain('We quantize everything. It works well. Then we do more. …');
    expect(text).not.toContain('And more again');
  });

  it('shows the trending phrases', () => {
    expect($('.pb-box').text()).toBe('Trending: test-time scaling (4)');
  });
});

describe('escaping', () => {
  it('shows a script title as inert text', () => {
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;');
    expect(html).not.toMatch(/<script/i);
    expect(card(XSS_TITLE).length).toBe(1);
  });

  it('cannot break out of the MJML', () => {
    expect(card(MJML_BREAKER).length).toBe(1);
    expect(html).not.toContain('<mj-');
  });

  it('a title cannot forge a recipient placeholder', () => {
    const forged = $('.pb-title').filter((_, a) => $(a).text().startsWith('Forged')).text();
    expect(forged).not.toContain(RECIPIENT.email);
    expect(forged).toMatch(/^Forged %%PB\u200B_UNSUBSCRIBE%% and %%PB\u200B_EMAIL%% tokens$/);
    expect(rendered.html.fields.filter((f) => f === 'unsubscribeUrl').length).toBe(1);
  });
});

describe('what real clients need', () => {
  it('has no images, scripts, imports or web fonts', () => {
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/@import/i);
    expect(html).not.toMatch(/fonts\.googleapis/i);
    expect(html).not.toMatch(/<link/i);
    expect(html).not.toMatch(/url\(/i);
  });

  it('declares light and dark colour schemes with dark overrides', () => {
    expect($('meta[name="color-scheme"]').attr('content')).toBe('light dark');
    expect($('meta[name="supported-color-schemes"]').attr('content')).toBe('light dark');
    expect(html).toMatch(/@media \(prefers-color-scheme: dark\)\s*\{[^]*\.pb-sheet[^}]*background[^}]*!important/);
  });

  it('lets long words wrap, inline (clients that drop <style> keep it) and in the head style', () => {
    for (const cls of ['pb-head', 'pb-content', 'pb-foot']) expect($(`td.${cls}`).attr('style')).toContain('word-break:break-word');
    expect(html).toMatch(/\.pb-content div, \.pb-head div \{ overflow-wrap: anywhere; word-break: break-word; \}/);
  });
});

describe('recipients', () => {
  it('fills the footer links and address in both parts, escaped in HTML, and leaves no placeholder', () => {
    const { html: h, text } = fillRecipient(rendered, RECIPIENT);
    const page = cheerio.load(h);
    const link = (label: string) => page('.pb-foot a').filter((_, a) => page(a).text() === label).attr('href');
    expect(link('Unsubscribe')).toBe(RECIPIENT.unsubscribeUrl);
    expect(link('Manage topics')).toBe(RECIPIENT.preferencesUrl);
    expect(link('View in browser')).toBe(CTX.archiveUrl);
    expect(h).toContain('unsubscribe?t=abc&amp;s=&quot;x&quot;');
    expect(page('.pb-foot').text()).toContain(`This copy went to ${RECIPIENT.email}.`);
    expect(page('.pb-foot').text()).toContain('You get this email because you subscribed to the paperboy daily digest (Language models, Vision, Safety & alignment).');
    for (const part of [h, text]) expect(part).not.toMatch(/%%PB_/);
    for (const value of Object.values(RECIPIENT)) expect(text).toContain(value);
  });

  it('renders once per selection: filling recipients never compiles MJML', async () => {
    const before = compiles.n;
    const r = await renderDigestHtml(digest, CTX);
    expect(compiles.n).toBe(before + 1);
    const outs = Array.from({ length: 200 }, (_, i) => fillRecipient(r, { ...RECIPIENT, email: `r${i}@example.com` }));
    expect(compiles.n).toBe(before + 1);
    expect(new Set(outs.map((o) => o.html)).size).toBe(200);
  });
});

describe('an empty digest', () => {
  it('still renders, says so, and keeps the footer links', async () => {
    const empty = buildDigest([], { topics: ['llm'], cadence: 'weekly' }, TOPICS);
    const out = fillRecipient(await renderDigestHtml(empty, CTX), RECIPIENT);
    const page = cheerio.load(out.html);
    expect(page('h1').text()).toBe('No new papers in your topics this week');
    expect(page('.pb-card').length).toBe(0);
    expect(page('.pb-foot a').length).toBe(4);
    expect(out.text).toContain('No new papers in your topics this week');
  });
});

describe('preview line and quiet topics', () => {
  it('pads the preheader with invisible characters so clients do not append body text to it', () => {
    const pre = $('.pb-preheader');
    expect(pre.attr('style')).toContain('display:none');
    expect(pre.attr('style')).toContain('mso-hide:all');
    // Hidden, not camouflaged: a text colour near the background is what spam filters score (HTML_FONT_LOW_CONTRAST).
    expect(pre.attr('style')).not.toMatch(/color/);
    const whiteText = $('[style]').filter((_, el) => /(?:^|;)\s*color:\s*#fff(?:fff)?\b/i.test($(el).attr('style')!) && $(el).text().trim() !== '');
    expect(whiteText.length).toBe(0);
    expect(pre.text()).toMatch(/^12 new papers in 2 of your topics: [^\u200c]+(\u200c\u00a0){40,}$/);
  });

  it('names at most a few quiet topics', async () => {
    const head = async (d: ReturnType<typeof buildDigest>, topics = TOPICS) =>
      cheerio.load(fillRecipient(await renderDigestHtml(d, { ...CTX, topics }), RECIPIENT).html)('.pb-head').text();
    const few = buildDigest([featureEdition()], { topics: ['llm', 'rl', 'safety', 'audio'], cadence: 'daily' }, TOPICS);
    expect(await head(few)).toContain('Nothing new today in Reinforcement learning, Safety & alignment, Speech & audio.');
    const many = [1, 2, 3, 4, 5, 6].map((i) => ({ slug: `quiet-${i}`, name: `Quiet ${i}`, description: '' }));
    const all = buildDigest([featureEdition()], { topics: null, cadence: 'weekly' }, [...TOPICS, ...many]);
    expect(await head(all, [...TOPICS, ...many])).toContain('Nothing new this week in Reinforcement learning, Efficiency, Safety & alignment and 7 other topics.');
  });
});

describe('digestSubject', () => {
  it('a weekly digest says weekly and names the week it covers, not the last day', () => {
    const week = buildDigest([featureEdition(), { ...featureEdition(), id: '2026-11-20' }], { topics: ['vision'], cadence: 'weekly' }, TOPICS);
    expect(digestSubject(week)).toMatch(/^paperboy weekly — \d+ new papers, 18 – 24 Nov 2026: /);
    // Sent on 6 Dec, with papers on two days only: the week is still the seven days ending on the send date.
    const across = buildDigest([{ ...featureEdition(), id: '2026-12-01' }, { ...featureEdition(), id: '2026-12-04' }], { topics: null, cadence: 'weekly' }, TOPICS);
    expect(digestSubject(across, 'paperboy', '2026-12-06')).toMatch(/^paperboy weekly — \d+ new papers, 30 Nov – 6 Dec 2026: /);
  });

  it('the weekly body names the week too', async () => {
    const across = buildDigest([{ ...featureEdition(), id: '2026-12-01' }], { topics: null, cadence: 'weekly' }, TOPICS);
    const r = await renderDigestHtml(across, { ...CTX, date: '2026-12-06' });
    const { html, text } = fillRecipient(r, RECIPIENT);
    expect(r.subject).toMatch(/^paperboy weekly — 13 new papers, 30 Nov – 6 Dec 2026: /);
    expect(cheerio.load(html)('.pb-head .pb-muted').first().text()).toMatch(/^30 Nov – 6 Dec 2026 · View in browser$/);
    expect(text).toMatch(/^PAPERBOY · WEEKLY DIGEST\n30 Nov – 6 Dec 2026\n/);
  });

  it('is one plain line with count, date and the top readable title', () => {
    const s = digestSubject(digest);
    expect(s).toBe(`paperboy — 12 new papers, 24 Nov 2026: ${XSS_TITLE}`);
    const water = buildDigest([featureEdition()], { topics: ['vision'], cadence: 'daily' }, TOPICS);
    expect(digestSubject(water)).toBe('paperboy — 2 new papers, 24 Nov 2026: Splitting H₂O with 𝒪(n) steps');
    expect(digestSubject(water)).not.toMatch(/[\r\n]/);
  });
});
