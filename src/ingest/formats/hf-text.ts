// Parses the text dump of the Hugging Face Daily Papers page: header lines, then title / abstract lines.
import type { ParsedPaper, ParseProblem, ParseResult } from '../../domain.ts';
import { cleanText } from '../normalize.ts';
import { isProblem, makePaper, MAX_ABSTRACT_CHARS } from '../paper.ts';

// The page chrome before the list: at the start of a file, or wherever a second page was pasted after the first.
const HEADER_LINE =
  /^(?:new|subscribe|daily papers|by\s*AK and the research community|get trending papers in your email inbox(?: once a day)?!?|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.? \d{1,2}(?:,? \d{4})?|\d{4}-\d{2}-\d{2})$/i;
// The first title is often glued to the "Subscribe" button text: "SubscribeARMOR v0.1: …".
const GLUED = /^Subscribe(?=[\p{Lu}\p{N}])/u;
// Lines only the Daily Papers page has. A text file without any is held to a stricter reading.
// (Case-insensitive, except for the glued button: with the i flag \p{Lu} matches any letter, "subscribed …" too.)
const PAGE_SIGN_LINE = /^(?:daily papers|by\s*AK and the research community|get trending papers in your email inbox.*)$/iu;
const isPageSign = (s: string) => PAGE_SIGN_LINE.test(s) || GLUED.test(s);

const LINK_END = /(?:https?:\/\/\S+|\S+\.\w{2,}\/\S*)$/u;
/** Titles never end with a full stop; abstracts nearly always do. */
const FULL_STOP = /[^.]\.["'”’)\]]?$/u;
const SENTENCE_BREAK = /[.!?]\s+\p{Lu}/u;
/** How a complete abstract ends: a sentence, a closing bracket or quote, or a link. Anything else was cut off. */
const ENDS_CLEANLY = /(?:[.!?;)\]}"'”’]|https?:\/\/\S+|\S+\.\w{2,}\/\S*)$/u;
/** The shortest abstract in the seeds has 544 characters, the longest title 138 (arXiv titles rarely pass 250). */
const PARAGRAPH_CHARS = 250;
/** The first line of a title wrapped over two lines ends mid-phrase (or the second line starts lowercase). */
const WRAPPED_HEAD = /(?:[-–—:,&/+]|\b(?:a|an|the|of|for|and|or|with|in|on|to|via|from|by|at|as|into|towards?|under|over|through|without|vs\.?|based|driven|aware)$)$/i;
const MAX_WRAPPED_TITLE = 300;

/** A paragraph of prose: long, with sentences. Where a title is due, it is more of the abstract above. */
const isParagraph = (s: string) => s.length >= 2 * PARAGRAPH_CHARS || (s.length >= PARAGRAPH_CHARS && SENTENCE_BREAK.test(s));
/** A line that ends the way abstracts end: where a title is due, it goes on with the abstract above. */
const continuesAbstract = (s: string) => FULL_STOP.test(s) || LINK_END.test(s) || isParagraph(s);
/** Reads as a title: one short line, no sentence in it, no full stop at the end. */
const isTitleLike = (s: string) => s.length < PARAGRAPH_CHARS && !FULL_STOP.test(s) && !SENTENCE_BREAK.test(s) && !LINK_END.test(s);
/** Reads as an abstract beyond doubt (a full stop at the end, or a paragraph). */
const isAbstractLike = (s: string) => FULL_STOP.test(s) || isParagraph(s);

interface Line {
  text: string;
  line: number;
}

/** What a page dump's reading learned beyond its papers: whether the page's own lines were there. */
export interface HfTextState {
  /** True once a line only the Daily Papers page has was read; without one, papers are a guess. */
  pageSign: boolean;
}

export function parseHfText(text: string): ParseResult {
  const problems: ParseProblem[] = [];
  return { format: 'hf-text', papers: [...iterateHfText(text, problems)], problems };
}

/** The non-blank lines of a text, trimmed, without splitting it all at once, with a look two lines ahead. */
function reader(text: string) {
  let start = 0;
  let lineNo = 0;
  const ahead: Line[] = [];
  const pull = (): Line | undefined => {
    while (start <= text.length) {
      let end = text.indexOf('\n', start);
      if (end < 0) end = text.length;
      const line = text.slice(start, end).trim();
      start = end + 1;
      lineNo++;
      if (line !== '') return { text: line, line: lineNo };
    }
    return undefined;
  };
  return {
    peek(k: 0 | 1): Line | undefined {
      while (ahead.length <= k) {
        const l = pull();
        if (!l) return undefined;
        ahead.push(l);
      }
      return ahead[k];
    },
    next: (): Line | undefined => ahead.shift() ?? pull(),
  };
}

const stray = (l: Line): ParseProblem => ({ line: l.line, message: `a title with no abstract ("${l.text.slice(0, 60)}")` });
const isChrome = (l: Line | undefined) => l !== undefined && (HEADER_LINE.test(l.text) || GLUED.test(l.text));

/**
 * The papers of a page dump, one at a time (problems are pushed to `problems` as they are found), so an
 * ingest can store them as it goes and memory does not grow with the file. Lines alternate title /
 * abstract; where the shape of the lines says otherwise (an abstract in several paragraphs, a title
 * wrapped over two lines, a title without its abstract, a second page's header) the shape wins.
 * A paper is held back until the next title, because the lines after its abstract may be more of it.
 * No single entry rejects the file: an entry that is no paper is a problem, a paper in doubt (the last
 * abstract stopping without a full stop, as ~2% of real abstracts do) is kept with a `doubt`.
 */
export function* iterateHfText(text: string, problems: ParseProblem[], state: HfTextState = { pageSign: false }): Generator<ParsedPaper> {
  const lines = reader(text);
  let inHeader = true;
  let held: ParsedPaper | null = null;
  const extend = (paper: ParsedPaper, more: string) => {
    const joined = `${paper.abstract} ${cleanText(more)}`.trim();
    if (joined.length <= MAX_ABSTRACT_CHARS) paper.abstract = joined;
    else problems.push({ line: paper.line, message: `abstract is over ${MAX_ABSTRACT_CHARS} characters long; the rest was left out` });
  };
  const release = () => {
    const paper = held;
    held = null;
    if (paper && !state.pageSign && (paper.abstract.length < 80 || !ENDS_CLEANLY.test(paper.abstract))) {
      // Without the page's own lines, only a title/abstract pair that reads as one is taken for a paper;
      // the file is judged on the whole (parse.ts): a README or a poem has few such pairs, a dump many.
      problems.push({ line: paper.line, message: 'does not read as a title followed by an abstract (and the file has no page header)' });
      return null;
    }
    return paper;
  };

  for (let cur = lines.next(); cur; cur = lines.next()) {
    if (isPageSign(cur.text)) state.pageSign = true;
    // Page chrome: the header at the start, or a run of header lines further down (two pages in one file).
    if (HEADER_LINE.test(cur.text) && (inHeader || isChrome(lines.peek(0)))) {
      inHeader = true;
      continue;
    }
    let title: Line = inHeader ? { ...cur, text: cur.text.replace(GLUED, '') } : cur;
    inHeader = false;
    // Where a title is due, a line ending like an abstract is more of the abstract above.
    if (held && continuesAbstract(title.text)) {
      extend(held, title.text);
      continue;
    }
    let abstract = lines.peek(0);
    const after = lines.peek(1);
    if (abstract && after && isTitleLike(abstract.text) && isAbstractLike(after.text) && !isChrome(abstract)) {
      // Two title-like lines before an abstract: one title wrapped in two, or a title that lost its abstract.
      lines.next();
      const wrapped = (WRAPPED_HEAD.test(title.text) || /^\p{Ll}/u.test(abstract.text)) && title.text.length + abstract.text.length < MAX_WRAPPED_TITLE;
      if (wrapped) title = { text: `${title.text} ${abstract.text}`, line: title.line };
      else {
        problems.push(stray(title));
        title = abstract;
      }
    }
    abstract = lines.next();
    if (!abstract) {
      // The file ends on a title: a partial download, or a title that lost its abstract. The papers before it
      // are good; the complete listing (a new hash) adds this one later.
      problems.push({ line: title.line, message: `a title with no abstract at the end of the file (cut off?): "${title.text.slice(0, 60)}"` });
      break;
    }
    const ready = release();
    if (ready) yield ready;
    const made = makePaper({ title: title.text, abstract: abstract.text, line: title.line });
    if (isProblem(made)) problems.push(made);
    else held = made;
  }
  const last = held as ParsedPaper | null;
  if (last && state.pageSign && !ENDS_CLEANLY.test(last.abstract)) {
    // Cut off mid-sentence, or one of the abstracts that end without a full stop: kept either way, in doubt,
    // and a later listing with a longer abstract repairs it (store/papers.ts).
    last.doubt = `the abstract may be cut off: the last one in the file ends without a full stop ("…${last.abstract.slice(-40)}")`;
  }
  const ready = release();
  if (ready) yield ready;
}
