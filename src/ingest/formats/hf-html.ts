// Parses a saved huggingface.co/papers page: the list in data-props of the DailyPapers widget, else the article cards.
import { createRequire } from 'node:module';
import type * as Cheerio from 'cheerio';
import type { ParsedPaper, ParseProblem, ParseResult } from '../../domain.ts';
import { PaperboyError } from '../../errors.ts';
import { arxivIdFromRef } from '../../paper-ids.ts';
import { count } from '../normalize.ts';
import { isProblem, makePaper } from '../paper.ts';
import { findPaperList, parseItems } from './hf-json.ts';

// cheerio costs more to load than the rest of a start together; only a new HTML seed file needs it (a sync
// require of its CommonJS build: parsing is synchronous).
let loaded: typeof Cheerio | null = null;
const cheerio = () => (loaded ??= createRequire(import.meta.url)('cheerio') as typeof Cheerio);

/** Markup from its first character (an XML prolog, a comment, any tag) with HTML tags early on, or the widget itself. */
export function looksLikeHtml(text: string): boolean {
  const head = text.slice(0, 4096);
  if (!/^\s*</.test(head)) return false;
  return /<(?:!doctype html|html|head|body|meta|title|link|div|main|article|section|header)\b/i.test(head) || head.includes('data-target="DailyPapers"');
}

export function parseHfHtml(text: string): ParseResult {
  const $ = cheerio().load(text);
  const widget = $('[data-target="DailyPapers"]').first();
  const props = widget.attr('data-props');
  if (props) {
    let data: unknown;
    try {
      data = JSON.parse(props);
    } catch {
      data = null; // a damaged attribute: fall back to the visible cards below
    }
    const list = data ? findPaperList(data) : null;
    if (list) return { format: 'hf-html', ...parseItems(list) };
  }
  const cards = parseCards($);
  if (cards.papers.length === 0 && cards.problems.length === 0) {
    throw new PaperboyError('SEED_REJECTED', 'HTML page holds no DailyPapers list and no paper cards');
  }
  return { format: 'hf-html', ...cards };
}

/** The visible list: one <article> per paper, its title linking to /papers/<arXiv id>. */
function parseCards($: Cheerio.CheerioAPI): { papers: ParsedPaper[]; problems: ParseProblem[] } {
  const papers: ParsedPaper[] = [];
  const problems: ParseProblem[] = [];
  $('article').each((index, el) => {
    const card = $(el);
    const link = card.find('h3 a, h2 a, a[href*="/papers/"]').first();
    const href = link.attr('href') ?? '';
    const title = (card.find('h3').first().text() || link.text()).trim();
    const abstract = card.find('p').first().text();
    const upvoteText = card.find('[class*="upvote"], [class*="like"]').first().text().trim();
    const made = makePaper({
      title,
      abstract,
      arxivId: arxivIdFromRef(href),
      upvotes: /^\d+$/.test(upvoteText) ? count(Number(upvoteText)) : null,
      line: index + 1,
    });
    if (isProblem(made)) problems.push(made);
    else papers.push(made);
  });
  return { papers, problems };
}
