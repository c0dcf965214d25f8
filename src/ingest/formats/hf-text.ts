// Parses the text dump of the Hugging Face Daily Papers page: header lines, then title / abstract lines.
import type { ParsedPaper, ParseProblem, ParseResult } from '../../domain.ts';
import { PaperboyError } from '../../errors.ts';
import { isProblem, makePaper } from '../paper.ts';

// The page chrome that precedes the list. Only recognised before the first paper, so a paper titled
// "Subscribe" later in the file is still a paper.
const HEADER_LINE =
  /^(?:new|subscribe|daily papers|by\s*AK and the research community|get trending papers in your email inbox(?: once a day)?!?|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.? \d{1,2}(?:,? \d{4})?|\d{4}-\d{2}-\d{2})$/i;

// A line this long is an abstract paragraph, never a title.
const LONG_LINE = 350;

export function parseHfText(text: string): ParseResult {
  const problems: ParseProblem[] = [];
  return { format: 'hf-text', papers: [...iterateHfText(text, problems)], problems };
}

/** Lines of a text without splitting it all at once: big dumps need no second copy as an array. */
function* lines(text: string): Generator<[string, number]> {
  let start = 0;
  for (let lineNo = 1; start <= text.length; lineNo++) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    yield [text.slice(start, end), lineNo];
    start = end + 1;
  }
}

/**
 * The papers of a page dump, one at a time (problems are pushed to `problems` as they are found), so an
 * ingest can store them as it goes and memory does not grow with the file. A paper is held back until the
 * next title, because a following long line may still be its abstract's second paragraph.
 */
export function* iterateHfText(text: string, problems: ParseProblem[]): Generator<ParsedPaper> {
  let inHeader = true;
  let title: { text: string; line: number } | null = null;
  let held: ParsedPaper | null = null;

  for (const [raw, lineNo] of lines(text)) {
    let line = raw.trim();
    if (line === '') continue;
    if (inHeader) {
      if (HEADER_LINE.test(line)) continue;
      // The first title is often glued to the "Subscribe" button text: "SubscribeARMOR v0.1: …".
      const glued = /^Subscribe(?=\S)/.exec(line);
      if (glued) line = line.slice(glued[0].length);
      inHeader = false;
    }
    if (title === null) {
      if (line.length > LONG_LINE && held) {
        // A second paragraph of the previous abstract: keep it instead of mistaking it for a title.
        held.abstract = `${held.abstract} ${line}`;
        continue;
      }
      if (held) yield held;
      held = null;
      title = { text: line, line: lineNo };
      continue;
    }
    const made = makePaper({ title: title.text, abstract: line, line: title.line });
    if (isProblem(made)) problems.push(made);
    else held = made;
    title = null;
  }
  if (title !== null) {
    // A partial download: reject the whole file so the complete one (a new hash) is ingested whole later.
    throw new PaperboyError('SEED_REJECTED', `truncated: the title on line ${title.line} has no abstract`);
  }
  if (held) yield held;
}
