// "Picked for you" as HTML and text fragments, filled per reader into an already compiled digest (no MJML per reader).
import { readFileSync } from 'node:fs';
import Handlebars from 'handlebars';
import type { ReaderPick } from '../edition/picks.ts';
import { cutAbstract, ellipsize, paperLinks, plural, TITLE_CHARS } from './links.ts';
import { readable, readableAuthors } from './readable.ts';
import { neutralizeDeep } from './recipient.ts';
import { wrap } from './text.ts';

export interface PicksView {
  count: number;
  candidates: string;
  basis: string;
  prefsUrl: string;
  pageUrl: string;
  cards: PickCard[];
}

export interface PickCard {
  id: string;
  title: string;
  url: string;
  byline: string;
  abstract: string;
  reasons: string;
  links: { label: string; url: string }[];
  more: string;
  fewer: string;
}

export interface PicksContext {
  prefsUrl: string;
  pageUrl: string;
  feedback: (paperId: string, signal: 'more' | 'fewer') => string;
  /** Papers ranked (all of the reader's topics, not only those the digest shows). */
  candidates: number;
  /** What the picks were ranked from, in words: "3 keywords, 2 papers you marked". */
  basis: string;
}

const ABSTRACT_CHARS = 220;
let template: Handlebars.TemplateDelegate | null = null;
const load = () => (template ??= Handlebars.create().compile(readFileSync(new URL('../../templates/email/picks.hbs', import.meta.url), 'utf8'), { strict: true }));

export function picksView(picks: ReaderPick[], ctx: PicksContext): PicksView {
  return neutralizeDeep({
    count: picks.length,
    candidates: plural(ctx.candidates, 'paper'),
    basis: ctx.basis,
    prefsUrl: ctx.prefsUrl,
    pageUrl: ctx.pageUrl,
    cards: picks.map(({ paper: { paper }, reasons }) => {
      const links = paperLinks(paper);
      return {
        id: paper.id,
        title: ellipsize(readable(paper.title), TITLE_CHARS),
        url: links.primary,
        byline: readableAuthors(paper.authors, 3),
        abstract: cutAbstract(readable(paper.abstract), ABSTRACT_CHARS, 2),
        reasons: reasons.join(' · '),
        links: links.links,
        more: ctx.feedback(paper.id, 'more'),
        fewer: ctx.feedback(paper.id, 'fewer'),
      };
    }),
  });
}

export const renderPicksHtml = (view: PicksView): string => (view.count === 0 ? '' : load()(view));

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
