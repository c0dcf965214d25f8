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

/** True when the text looks like a page dump: the header chrome, or at least two title/abstract-shaped lines. */
export function looksLikeHfText(text: string): boolean {
  const head = text.slice(0, 4096);
  return /Get trending papers in your email inbox|byAK and the research community|^Daily Papers$/m.test(head);
}

export function parseHfText(text: string): ParseResult {
  const lines = text.split('\n');
  const papers: ParsedPaper[] = [];
  const problems: ParseProblem[] = [];
  let inHeader = true;
  let title: { text: string; line: number } | null = null;
  let last: ParsedPaper | null = null;

  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!.trim();
    if (line === '') continue;
    const lineNo = i + 1;
    if (inHeader) {
      if (HEADER_LINE.test(line)) continue;
      // The first title is often glued to the "Subscribe" button text: "SubscribeARMOR v0.1: …".
      const glued = /^Subscribe(?=\S)/.exec(line);
      if (glued) line = line.slice(glued[0].length);
      inHeader = false;
    }
    if (title === null) {
      if (line.length > LONG_LINE && last) {
        // A second paragraph of the previous abstract: keep it instead of mistaking it for a title.
        last.abstract = `${last.abstract} ${line}`;
        continue;
      }
      title = { text: line, line: lineNo };
      continue;
    }
    const made = makePaper({ title: title.text, abstract: line, line: title.line });
    if (isProblem(made)) problems.push(made);
    else papers.push((last = made));
    title = null;
  }
  if (title !== null) {
    // A partial download: reject the whole file so the complete one (a new hash) is ingested whole later.
    throw new PaperboyError('SEED_REJECTED', `truncated: the title on line ${title.line} has no abstract`);
  }
  return { format: 'hf-text', papers, problems };
}
