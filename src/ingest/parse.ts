// Picks the seed format by content (never by file name) and runs its pure parser.
import type { ParsedPaper, ParseProblem, ParseResult } from '../domain.ts';
import { PaperboyError } from '../errors.ts';
import { looksLikeArxivAtom, parseArxivAtom } from './formats/arxiv-atom.ts';
import { looksLikeHtml, parseHfHtml } from './formats/hf-html.ts';
import { looksLikeJson, parseHfJson } from './formats/hf-json.ts';
import { iterateHfText, type HfTextState } from './formats/hf-text.ts';

/** A parse whose papers arrive one by one; `problems` fills as they are consumed. */
export interface SeedStream {
  format: string;
  papers: Iterable<ParsedPaper>;
  problems: ParseProblem[];
  /**
   * False while the format itself does not say the file is a listing (a text file without the page's own
   * lines): then a paper is a guess from the shape of two lines, and the file is judged on the whole.
   */
  certain: () => boolean;
}

/** Picks the format; text dumps stream, JSON and HTML (parsed whole by their libraries) come as arrays. */
export function streamSeed(text: string): SeedStream {
  if (looksLikeJson(text)) return { ...parseHfJson(text), certain: () => true };
  if (looksLikeArxivAtom(text)) return { ...parseArxivAtom(text), certain: () => true }; // before HTML: a feed has <title> and <link> too
  if (looksLikeHtml(text)) return { ...parseHfHtml(text), certain: () => true };
  const problems: ParseProblem[] = [];
  const state: HfTextState = { pageSign: false };
  return { format: 'hf-text', papers: iterateHfText(text, problems, state), problems, certain: () => state.pageSign };
}

/**
 * Checks a finished parse. A file is rejected only when nothing in it is a paper: one bad entry never
 * throws the good ones away. The one exception is a text file without the page's own lines, where a
 * "paper" is only two lines of the right shape: mostly unreadable entries with a few lucky pairs is a
 * README or a poem, not a listing.
 */
export function checkParsed(format: string, papers: number, problems: ParseProblem[], certain = true): void {
  if (!certain && problems.length > papers) {
    throw new PaperboyError(
      'SEED_REJECTED',
      `not a Daily Papers page dump: no page header ("Daily Papers", "Subscribe", …) and ${problems.length} of ${problems.length + papers} entries do not read as a title followed by an abstract (first at line ${problems[0]!.line})`,
    );
  }
  if (papers === 0) {
    const first = problems[0];
    const why = first ? ` (line ${first.line}: ${first.message})` : '';
    throw new PaperboyError('SEED_REJECTED', `no papers found in ${format} file${why}`);
  }
}

/** Parses decoded seed text whole. Throws SEED_REJECTED when nothing in the file is a paper. */
export function parseSeed(text: string): ParseResult {
  const stream = streamSeed(text);
  const result = { format: stream.format, papers: [...stream.papers], problems: stream.problems };
  checkParsed(result.format, result.papers.length, result.problems, stream.certain());
  return result;
}
