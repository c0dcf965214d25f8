// "Picked for you" as HTML and text fragments, filled per reader into an already compiled digest (no MJML per reader).
// A picked paper's card is rendered once per paper and cached; per reader only its reasons and links are joined in.
import { readFileSync } from 'node:fs';
import Handlebars from 'handlebars';
import type { Paper } from '../domain.ts';
import type { ReaderPick } from '../edition/picks.ts';
import { cutAbstract, ellipsize, paperLinks, plural, TITLE_CHARS, type PaperLink } from './links.ts';
import { readable, readableAuthors } from './readable.ts';
import { escapeHtml, neutralizeDeep } from './recipient.ts';
import { wrap } from './text.ts';

export interface PicksContext {
  prefsUrl: string;
  pageUrl: string;
  feedback: (paperId: string, signal: 'more' | 'fewer') => string;
  /** Papers ranked (all of the reader's topics, not only those the digest shows). */
  candidates: number;
  /** What the picks were ranked from, in words: "3 keywords, 2 papers you marked". */
  basis: string;
}

/** A picked paper as shown: the same for every reader. */
export interface PickCardBase {
  id: string;
  title: string;
  url: string;
  byline: string;
  abstract: string;
  links: PaperLink[];
}

export interface PickCard extends PickCardBase {
  reasons: string;
  more: string;
  fewer: string;
}

export interface PicksView {
  count: number;
  candidates: string;
  basis: string;
  prefsUrl: string;
  pageUrl: string;
  cards: PickCard[];
}

const ABSTRACT_CHARS = 220;
// NUL never survives ingest (control characters are stripped), so it cannot come from a paper.
const SLOT = { reasons: '\u0000R\u0000', more: '\u0000M\u0000', fewer: '\u0000F\u0000' };
const SLOTS = /\u0000([RMF])\u0000/;

interface Templates {
  wrapper: Handlebars.TemplateDelegate;
  card: Handlebars.TemplateDelegate;
}
let templates: Templates | null = null;
const load = (): Templates => {
  if (templates) return templates;
  const hbs = Handlebars.create();
  const read = (name: string) => hbs.compile(readFileSync(new URL(`../../templates/email/${name}`, import.meta.url), 'utf8'), { strict: true });
  return (templates = { wrapper: read('picks.hbs'), card: read('picks-card.hbs') });
};

interface CachedCard {
  base: PickCardBase;
  /** The card's HTML cut at its reader slots: odd entries name the slot (R, M, F). */
  html: string[];
}
const cards = new WeakMap<Paper, CachedCard>();

function cached(paper: Paper): CachedCard {
  let c = cards.get(paper);
  if (!c) {
    const links = paperLinks(paper);
    const base: PickCardBase = neutralizeDeep({
      id: paper.id,
      title: ellipsize(readable(paper.title), TITLE_CHARS),
      url: links.primary,
      byline: readableAuthors(paper.authors, 3),
      abstract: cutAbstract(readable(paper.abstract), ABSTRACT_CHARS, 2),
      links: links.links,
    });
    c = { base, html: load().card({ ...base, ...SLOT }).split(SLOTS) };
    cards.set(paper, c);
  }
  return c;
}

export function picksView(picks: ReaderPick[], ctx: PicksContext): PicksView {
  return {
    count: picks.length,
    candidates: plural(ctx.candidates, 'paper'),
    basis: ctx.basis,
    prefsUrl: ctx.prefsUrl,
    pageUrl: ctx.pageUrl,
    cards: picks.map(({ paper: { paper }, reasons }) => ({
      ...cached(paper).base,
      // Reasons quote titles and keywords the reader typed: neutralized like every other text.
      reasons: neutralizeDeep(reasons.join(' · ')),
      more: ctx.feedback(paper.id, 'more'),
      fewer: ctx.feedback(paper.id, 'fewer'),
    })),
  };
}

export function renderPicksHtml(view: PicksView, picks?: ReaderPick[]): string {
  if (view.count === 0) return '';
  let cardsHtml = '';
  view.cards.forEach((card, i) => {
    const paper = picks?.[i]?.paper.paper;
    const parts = paper ? cached(paper).html : load().card({ ...card, ...SLOT }).split(SLOTS);
    const values: Record<string, string> = { R: escapeHtml(card.reasons), M: escapeHtml(card.more), F: escapeHtml(card.fewer) };
    for (let j = 0; j < parts.length; j++) cardsHtml += j % 2 === 1 ? values[parts[j]!]! : parts[j]!;
  });
  return load().wrapper({ ...view, cardsHtml });
}

/** The text part's section; ends with a blank line so what follows keeps its spacing. */
export function renderPicksText(view: PicksView): string {
  if (view.count === 0) return '';
  const title = `PICKED FOR YOU · ${view.count}`;
  const out = [title, '='.repeat(title.length), ''];
  view.cards.forEach((c, i) => {
    const n = `${i + 1}. `;
    const pad = ' '.repeat(n.length);
    out.push(...wrap(c.title, pad, n));
    if (c.byline !== '') out.push(...wrap(c.byline, pad));
    out.push(...wrap(c.reasons, pad), '', `${pad}${c.url}`, `${pad}More like this: ${c.more}`, `${pad}Fewer like this: ${c.fewer}`, '');
  });
  out.push(...wrap(`Picked from ${view.candidates} from your interests (${view.basis}).`), `Change them: ${view.prefsUrl}`, `Your page and private feed: ${view.pageUrl}`, '', '');
  return out.join('\n');
}
