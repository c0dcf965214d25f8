// "Picked for you" as HTML and text fragments, filled per reader into an already compiled digest (no MJML per reader).
// A picked paper's card is rendered once per paper and cached; per reader only its reasons and links are joined in.
import { readFileSync } from 'node:fs';
import Handlebars from 'handlebars';
import type { Paper } from '../domain.ts';
import type { ReaderPick } from '../edition/picks.ts';
import { cutAbstract, ellipsize, paperLinks, plural, TITLE_CHARS, type PaperLink } from './links.ts';
import { readable, readableAuthors } from './readable.ts';
import { escapeHtml, neutralizeDeep, neutralizeTokens } from './recipient.ts';
import { TEXT_WIDTH, wrap } from './text.ts';

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
  /** The paper shown, so its rendered card can be reused (not for templates). */
  paper?: Paper;
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
// The wrapper's reader values, as slots too: it is rendered once and only joined per reader.
const WRAPPER_SLOT = { count: '\u0000n\u0000', cardsHtml: '\u0000h\u0000', candidates: '\u0000c\u0000', basis: '\u0000b\u0000', prefsUrl: '\u0000p\u0000', pageUrl: '\u0000g\u0000' };
const WRAPPER_SLOTS = /\u0000([nhcbpg])\u0000/;

interface Templates {
  card: Handlebars.TemplateDelegate;
  /** picks.hbs cut at its slots: odd entries name the slot. */
  wrapper: string[];
}
let templates: Templates | null = null;
const load = (): Templates => {
  if (templates) return templates;
  const hbs = Handlebars.create();
  const read = (name: string) => hbs.compile(readFileSync(new URL(`../../templates/email/${name}`, import.meta.url), 'utf8'), { strict: true });
  return (templates = { card: read('picks-card.hbs'), wrapper: read('picks.hbs')(WRAPPER_SLOT).split(WRAPPER_SLOTS) });
};
/** Handlebars' own escaping, so a joined wrapper is byte for byte what the template rendered. */
const escapeAttr = Handlebars.Utils.escapeExpression;

interface CachedCard {
  base: PickCardBase;
  /** The card's HTML cut at its reader slots: odd entries name the slot (R, M, F). */
  html: string[];
  /** The text part's title and byline lines, indented as a numbered item (the number is put in per reader). */
  titleLines: string[];
  bylineLines: string[];
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
    const titleLines = wrap(base.title, NUMBER_PAD);
    const bylineLines = base.byline !== '' ? wrap(base.byline, NUMBER_PAD) : [];
    c = { base, html: load().card({ ...base, ...SLOT }).split(SLOTS), titleLines, bylineLines };
    cards.set(paper, c);
  }
  return c;
}

export function picksView(picks: ReaderPick[], ctx: PicksContext): PicksView {
  const cards: PickCard[] = [];
  for (const { paper: { paper }, reasons } of picks) {
    const base = cached(paper).base;
    // Field by field, not a spread: this runs for every picked reader of a delivery.
    cards.push({
      id: base.id,
      title: base.title,
      url: base.url,
      byline: base.byline,
      abstract: base.abstract,
      links: base.links,
      // Reasons quote titles and keywords the reader typed: neutralized like every other text.
      reasons: neutralizeTokens(reasons.join(' · ')),
      more: ctx.feedback(paper.id, 'more'),
      fewer: ctx.feedback(paper.id, 'fewer'),
      paper,
    });
  }
  return { count: picks.length, candidates: plural(ctx.candidates, 'paper'), basis: ctx.basis, prefsUrl: ctx.prefsUrl, pageUrl: ctx.pageUrl, cards };
}

export function renderPicksHtml(view: PicksView): string {
  if (view.count === 0) return '';
  let cardsHtml = '';
  for (const card of view.cards) {
    const parts = card.paper ? cached(card.paper).html : load().card({ ...card, ...SLOT }).split(SLOTS);
    for (let j = 0; j < parts.length; j++) {
      const p = parts[j]!;
      cardsHtml += j % 2 === 0 ? p : escapeHtml(p === 'R' ? card.reasons : p === 'M' ? card.more : card.fewer);
    }
  }
  const values: Record<string, string> = {
    n: String(view.count),
    h: cardsHtml,
    c: escapeAttr(view.candidates),
    b: escapeAttr(view.basis),
    p: escapeAttr(view.prefsUrl),
    g: escapeAttr(view.pageUrl),
  };
  const parts = load().wrapper;
  let out = '';
  for (let j = 0; j < parts.length; j++) out += j % 2 === 0 ? parts[j]! : values[parts[j]!]!;
  return out;
}

/** `wrap`, without its per-word work for the usual case: one short line of plain ASCII words and single spaces. */
function wrapShort(text: string, indent = ''): string[] {
  if (indent.length + text.length <= TEXT_WIDTH && /^[\x21-\x7e]+(?: [\x21-\x7e]+)*$/.test(text)) return [indent + text];
  return wrap(text, indent);
}

/** "1. " to "9. ": every item number takes three columns, so a card's lines are wrapped once for any number. */
const NUMBER_PAD = '   ';

/** The text part's section; ends with a blank line so what follows keeps its spacing. */
export function renderPicksText(view: PicksView): string {
  if (view.count === 0) return '';
  const title = `PICKED FOR YOU · ${view.count}`;
  const out = [title, '='.repeat(title.length), ''];
  view.cards.forEach((c, i) => {
    const n = `${i + 1}. `;
    const pad = ' '.repeat(n.length);
    const known = c.paper && n.length === NUMBER_PAD.length ? cached(c.paper) : null;
    if (known && known.titleLines.length > 0) {
      out.push(n + known.titleLines[0]!.slice(NUMBER_PAD.length), ...known.titleLines.slice(1), ...known.bylineLines);
    } else {
      out.push(...wrap(c.title, pad, n));
      if (c.byline !== '') out.push(...wrap(c.byline, pad));
    }
    out.push(...wrapShort(c.reasons, pad), '', `${pad}${c.url}`, `${pad}More like this: ${c.more}`, `${pad}Fewer like this: ${c.fewer}`, '');
  });
  out.push(...wrapShort(`Picked from ${view.candidates} from your interests (${view.basis}).`), `Change them: ${view.prefsUrl}`, `Your page and private feed: ${view.pageUrl}`, '', '');
  return out.join('\n');
}
