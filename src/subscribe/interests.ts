// Reader interests as people type them (form fields, CLI options) → the stored lists; one parser for web and CLI.
import { cleanText } from '../ingest/normalize.ts';
import { arxivIdFromRef } from '../paper-ids.ts';
import { parseKeywords } from '../rank/rank.ts';
import type { Interests } from '../store/interests.ts';

const MAX_ITEMS = 30;

/** "robot grasping, sim-to-real; tactile sensing" → phrases (commas, semicolons and new lines separate). */
export const parseKeywordText = (text: string): string[] => parseKeywords(text);

/** Paper references: arXiv ids in any spelling (`arXiv:2410.17243v2`, an arxiv.org or hf.co link) or paper ids. */
export function parseFollows(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split(/[\s,;]+/)) {
    const ref = raw.trim();
    if (ref === '') continue;
    const id = arxivIdFromRef(ref) ?? (/^t-[0-9a-f]{6,40}$/.test(ref) ? ref : null);
    if (id && !out.includes(id)) out.push(id);
  }
  return out.slice(0, MAX_ITEMS);
}

/** Author names, one per comma, semicolon or line ("Yann LeCun; Fei-Fei Li"). */
export function parseAuthors(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split(/[,;\n]+/)) {
    const a = raw.replace(/\s+/g, ' ').trim().slice(0, 100);
    if (a !== '' && !out.some((x) => x.toLowerCase() === a.toLowerCase())) out.push(a);
  }
  return out.slice(0, MAX_ITEMS);
}

/** Items the parser could not read, to tell the person (a follow that is no arXiv id). */
export function unreadFollows(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((r) => r.trim())
    .filter((r) => r !== '' && parseFollows(r).length === 0);
}

/**
 * What a person typed, line by line as seed text is cleaned: control and bidi characters out (they would reach
 * pages, feeds and email as they are, and a bidi override can disguise what a reader sees), line ends kept
 * (they separate items).
 */
const typed = (text: string) => text.split(/\r\n|\r|\n/).map(cleanText).join('\n');

/** The interests with the given fields replaced (undefined: kept as they are). */
export function mergeInterests(current: Interests, given: { keywords?: string; follow?: string; authors?: string }): Interests {
  return {
    keywords: given.keywords === undefined ? current.keywords : parseKeywordText(typed(given.keywords)),
    follows: given.follow === undefined ? current.follows : parseFollows(typed(given.follow)),
    authors: given.authors === undefined ? current.authors : parseAuthors(typed(given.authors)),
  };
}
