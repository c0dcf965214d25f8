// Picks the seed format by content (never by file name) and runs its pure parser.
import type { ParsedPaper, ParseProblem, ParseResult } from '../domain.ts';
import { PaperboyError } from '../errors.ts';
import { looksLikeHtml, parseHfHtml } from './formats/hf-html.ts';
import { looksLikeJson, parseHfJson } from './formats/hf-json.ts';
import { iterateHfText } from './formats/hf-text.ts';

/** A parse whose papers arrive one by one; `problems` fills as they are consumed. */
export interface SeedStream {
  format: string;
  papers: Iterable<ParsedPaper>;
  problems: ParseProblem[];
}

/** Picks the format; text dumps stream, JSON and HTML (parsed whole by their libraries) come as arrays. */
export function streamSeed(text: string): SeedStream {
  if (looksLikeJson(text)) return parseHfJson(text);
  if (looksLikeHtml(text)) return parseHfHtml(text);
  const problems: ParseProblem[] = [];
  return { format: 'hf-text', papers: iterateHfText(text, problems), problems };
}

/** Checks a finished parse: no papers, or more unreadable entries than papers, rejects the file. */
export function checkParsed(format: string, papers: number, problems: ParseProblem[]): void {
  if (papers === 0) {
    const first = problems[0];
    const why = first ? ` (line ${first.line}: ${first.message})` : '';
    throw new PaperboyError('SEED_REJECTED', `no papers found in ${format} file${why}`);
  }
  // Mostly garbage with a few lucky pairs is not a listing: don't let it pollute the store.
  if (problems.length > papers) {
    throw new PaperboyError(
      'SEED_REJECTED',
      `${problems.length} of ${problems.length + papers} entries unreadable (first at line ${problems[0]!.line}: ${problems[0]!.message})`,
    );
  }
}

/** Parses decoded seed text whole. Throws SEED_REJECTED when the file as a whole is unusable. */
export function parseSeed(text: string): ParseResult {
  const stream = streamSeed(text);
  const result = { format: stream.format, papers: [...stream.papers], problems: stream.problems };
  checkParsed(result.format, result.papers.length, result.problems);
  return result;
}
