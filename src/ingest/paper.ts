// Builds a ParsedPaper from raw fields with the limits every format shares; a bad entry becomes a problem.
import type { ParsedPaper, ParseProblem, PaperExtra } from '../domain.ts';
import { titleKey } from '../paper-ids.ts';
import { cleanText } from './normalize.ts';

export const MAX_TITLE_CHARS = 600;
export const MAX_ABSTRACT_CHARS = 20_000;
const MAX_AUTHORS = 500;
/** Real names (a collaboration's included) stay far below this; a longer "name" would fill every byline and feed. */
export const MAX_AUTHOR_CHARS = 200;

export interface RawPaper {
  title: unknown;
  abstract: unknown;
  arxivId?: string | null;
  authors?: unknown[];
  upvotes?: number | null;
  publishedAt?: string | null;
  extra?: PaperExtra;
  line: number;
}

export function makePaper(raw: RawPaper): ParsedPaper | ParseProblem {
  const line = raw.line;
  if (typeof raw.title !== 'string') return { line, message: 'entry has no title' };
  const title = cleanText(raw.title);
  const abstract = typeof raw.abstract === 'string' ? cleanText(raw.abstract) : '';
  if (title === '' || titleKey(title) === '') return { line, message: 'entry has an empty title' };
  if (title.length > MAX_TITLE_CHARS) {
    return { line, message: `title is ${title.length} characters long (limit ${MAX_TITLE_CHARS}); not a title` };
  }
  if (abstract.length > MAX_ABSTRACT_CHARS) {
    return { line, message: `abstract is ${abstract.length} characters long (limit ${MAX_ABSTRACT_CHARS})` };
  }
  const authors = (raw.authors ?? [])
    .filter((a): a is string => typeof a === 'string')
    .map(cleanText)
    .filter(Boolean)
    .slice(0, MAX_AUTHORS)
    .map((a) => (a.length > MAX_AUTHOR_CHARS ? `${a.slice(0, MAX_AUTHOR_CHARS - 1).toWellFormed().replace(/\uFFFD$/, '').trimEnd()}…` : a));
  return {
    title,
    abstract,
    arxivId: raw.arxivId ?? null,
    authors,
    upvotes: raw.upvotes ?? null,
    publishedAt: raw.publishedAt ?? null,
    extra: raw.extra ?? {},
    line,
    // Whether that was a byte the file lost or a U+FFFD the source itself wrote, only the decoding knows (scan.ts).
    ...(raw.title.includes('\uFFFD') ? { titleHadFFFD: true } : {}),
  };
}

export const isProblem = (x: ParsedPaper | ParseProblem): x is ParseProblem => 'message' in x;
