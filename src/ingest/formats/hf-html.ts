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

// A saved page nests a few dozen elements deep; Chromium's parser nests no deeper than 512. parse5 (cheerio's HTML
// parser) takes time growing with the square of the depth: 40,000 nested <div>s took 30 s, and 300,000 (a 3 MB
// file) held the run and its lease for over 10 minutes.
const MAX_DEPTH = 512;
const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr']);
// Elements whose end tag HTML lets a page leave out (a new <p> or <li> closes the open one): counted, a page of
// 600 unclosed <li>s would read 600 deep. Not counting them (open or close) keeps such valid pages, and nesting
// through them still counts by the elements between (<ul><li><ul><li>… counts each <ul>).
const OPTIONAL_END = new Set(['p', 'li', 'dt', 'dd', 'tr', 'td', 'th', 'thead', 'tbody', 'tfoot', 'option', 'optgroup', 'colgroup', 'caption', 'rb', 'rt', 'rtc', 'rp']);
// A tag without `<` inside: scanning stops at the next `<`, so the whole walk stays linear whatever the text.
const TAG = /<(\/?)([a-zA-Z][a-zA-Z0-9-]*)[^<>]*?(\/?)>/y;
const SCRIPT_END = /<\/script/gi;
const STYLE_END = /<\/style/gi;

/** How deep the elements nest, roughly (comments and script/style content skipped), stopping once past `limit`. */
export function nestingDepth(text: string, limit = MAX_DEPTH): number {
  let depth = 0;
  let max = 0;
  let i = 0;
  while ((i = text.indexOf('<', i)) !== -1) {
    if (text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i + 4);
      if (end === -1) break;
      i = end + 3;
      continue;
    }
    TAG.lastIndex = i;
    const m = TAG.exec(text);
    if (!m) {
      i++;
      continue;
    }
    i = TAG.lastIndex;
    const name = m[2]!.toLowerCase();
    if (OPTIONAL_END.has(name)) continue;
    if (m[1]) depth = Math.max(0, depth - 1);
    else if (!m[3] && !VOID.has(name)) {
      max = Math.max(max, ++depth);
      if (max > limit) return max;
      if (name === 'script' || name === 'style') {
        // Raw text: a `<div>` inside a script is no element.
        const close = name === 'script' ? SCRIPT_END : STYLE_END;
        close.lastIndex = i;
        if (!close.test(text)) break;
        i = close.lastIndex;
      }
    }
  }
  return max;
}

export function parseHfHtml(text: string): ParseResult {
  if (nestingDepth(text) > MAX_DEPTH) throw new PaperboyError('SEED_REJECTED', `HTML nested more than ${MAX_DEPTH.toLocaleString('en')} elements deep: not a saved Daily Papers page`);
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
