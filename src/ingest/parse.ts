// Picks the seed format by content (never by file name) and runs its pure parser.
import type { ParseResult } from '../domain.ts';
import { PaperboyError } from '../errors.ts';
import { looksLikeHtml, parseHfHtml } from './formats/hf-html.ts';
import { looksLikeJson, parseHfJson } from './formats/hf-json.ts';
import { parseHfText } from './formats/hf-text.ts';

/** Parses decoded seed text. Throws SEED_REJECTED when the file as a whole is unusable. */
export function parseSeed(text: string): ParseResult {
  const result = looksLikeJson(text) ? parseHfJson(text) : looksLikeHtml(text) ? parseHfHtml(text) : parseHfText(text);
  if (result.papers.length === 0) {
    const first = result.problems[0];
    const why = first ? ` (line ${first.line}: ${first.message})` : '';
    throw new PaperboyError('SEED_REJECTED', `no papers found in ${result.format} file${why}`);
  }
  // Mostly garbage with a few lucky pairs is not a listing: don't let it pollute the store.
  if (result.problems.length > result.papers.length) {
    throw new PaperboyError(
      'SEED_REJECTED',
      `${result.problems.length} of ${result.problems.length + result.papers.length} entries unreadable (first at line ${result.problems[0]!.line}: ${result.problems[0]!.message})`,
    );
  }
  return result;
}
