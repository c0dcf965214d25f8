// Parses an arXiv API answer (Atom 1.0 with the arxiv and opensearch extensions) into papers with categories.
import { createRequire } from 'node:module';
import type * as Fxp from 'fast-xml-parser';
import type { ParsedPaper, ParseProblem, ParseResult, PaperExtra } from '../../domain.ts';
import { PaperboyError } from '../../errors.ts';
import { arxivIdFromRef } from '../../paper-ids.ts';
import { cleanText, isoDate, printable } from '../normalize.ts';
import { isProblem, makePaper } from '../paper.ts';

/** An Atom feed from arXiv: the root is <feed> and an arXiv namespace or abs link shows up near the top. */
export function looksLikeArxivAtom(text: string): boolean {
  const head = text.slice(0, 4096);
  // A DOCTYPE is let through here so that readArxivFeed refuses it by name instead of calling the file HTML.
  return /^\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--[\s\S]*?-->\s*|<!DOCTYPE[^[>]*(?:\[[\s\S]*?\])?\s*>\s*)*<feed[\s>]/i.test(head) && /arxiv\.org/i.test(head);
}

// Entities are never expanded (no DOCTYPE is accepted at all, see below); the five predefined ones and
// character references are decoded by hand afterwards. Tag values stay strings: `2410.17250` is an id, not a number.
// Loaded at the first arXiv file (its one-file CommonJS build, synchronously): every other start skips it.
let fxp: { XMLValidator: typeof Fxp.XMLValidator; parser: Fxp.XMLParser } | null = null;
const xml = () => {
  if (fxp) return fxp;
  const { XMLParser, XMLValidator } = createRequire(import.meta.url)('fast-xml-parser') as typeof Fxp;
  return (fxp = { XMLValidator, parser: new XMLParser(OPTIONS) });
};
const OPTIONS: Fxp.X2jOptions = {
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  isArray: (name) => name === 'entry' || name === 'author' || name === 'category' || name === 'link',
};

export interface ArxivFeed {
  papers: ParsedPaper[];
  problems: ParseProblem[];
  /** opensearch:totalResults: all matches of the query, over every page. */
  total: number | null;
}

/** Reads a whole arXiv answer. Throws SEED_REJECTED for anything that is not one (or is arXiv's error entry). */
export function readArxivFeed(text: string): ArxivFeed {
  // A DOCTYPE is how entity bombs and external entities get in; arXiv's feeds never carry one.
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) throw new PaperboyError('SEED_REJECTED', 'XML declares a DOCTYPE or entities; refused (an arXiv feed has none)');
  const { XMLValidator, parser } = xml();
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new PaperboyError('SEED_REJECTED', `XML not well-formed (truncated?) at line ${valid.err.line}: ${valid.err.msg}`);
  const doc = parser.parse(text) as { feed?: Record<string, unknown> };
  const feed = doc.feed;
  if (!feed || typeof feed !== 'object') throw new PaperboyError('SEED_REJECTED', 'XML is not an Atom feed');
  const entries = (feed.entry as Record<string, unknown>[] | undefined) ?? [];
  // arXiv answers a bad query with HTTP 200 and a single entry titled "Error" whose id is under /api/errors.
  const error = entries.find((e) => /\/api\/errors/.test(textOf(e.id)));
  if (error) throw new PaperboyError('SEED_REJECTED', `arXiv answered with an error: ${cleanText(textOf(error.summary)).slice(0, 200)}`);
  const papers: ParsedPaper[] = [];
  const problems: ParseProblem[] = [];
  entries.forEach((entry, index) => {
    const made = fromEntry(entry, index + 1);
    if (isProblem(made)) problems.push(made);
    else papers.push(made);
  });
  const total = Number(textOf(feed.totalResults));
  return { papers, problems, total: textOf(feed.totalResults) !== '' && Number.isFinite(total) ? total : null };
}

export function parseArxivAtom(text: string): ParseResult {
  try {
    const { papers, problems } = readArxivFeed(text);
    return { format: 'arxiv-atom', papers, problems };
  } catch (err) {
    // A seed file (not a live answer, which is fetched again instead): one broken entry costs that entry.
    const salvaged = err instanceof PaperboyError && err.message.startsWith('XML not well-formed') ? salvageEntries(text) : null;
    if (!salvaged) throw err;
    return { format: 'arxiv-atom', ...salvaged };
  }
}

/**
 * The entries of a feed that is not well-formed as a whole, each checked on its own inside the feed's head:
 * a broken or cut-off entry is a problem naming it, the others are papers. Null when the head itself is
 * broken or no entry is whole (then the file is rejected with the validator's reason).
 */
function salvageEntries(text: string): { papers: ParsedPaper[]; problems: ParseProblem[] } | null {
  const start = text.search(/<entry[\s>]/);
  if (start < 0) return null;
  const head = text.slice(0, start);
  const { XMLValidator } = xml();
  if (XMLValidator.validate(`${head}</feed>`) !== true) return null;
  const papers: ParsedPaper[] = [];
  const problems: ParseProblem[] = [];
  text.slice(start).split(/(?=<entry[\s>])/).forEach((chunk, index) => {
    const line = index + 1;
    const end = chunk.lastIndexOf('</entry>');
    if (end < 0) return void problems.push({ line, message: `entry ${line} is cut off (no </entry>); skipped` });
    const one = `${head}${chunk.slice(0, end + '</entry>'.length)}</feed>`;
    const valid = XMLValidator.validate(one);
    if (valid !== true) return void problems.push({ line, message: `entry ${line} is not well-formed XML (${printable(valid.err.msg)}); skipped` });
    const feed = readArxivFeed(one);
    papers.push(...feed.papers.map((p) => ({ ...p, line })));
    problems.push(...feed.problems.map((p) => ({ ...p, line, message: p.message.replace(/^entry 1\b/, `entry ${line}`) })));
  });
  return papers.length > 0 ? { papers, problems } : null;
}

function fromEntry(entry: Record<string, unknown>, line: number): ParsedPaper | ParseProblem {
  const arxivId = arxivIdFromRef(textOf(entry.id));
  if (arxivId === null) return { line, message: `entry ${line} has no arXiv id` };
  const authors = ((entry.author as Record<string, unknown>[] | undefined) ?? []).map((a) => decode(textOf(a?.name)));
  const made = makePaper({
    title: decode(textOf(entry.title)),
    abstract: decode(textOf(entry.summary)),
    arxivId,
    authors,
    upvotes: null,
    publishedAt: isoDate(textOf(entry.published)),
    extra: extraOf(entry),
    line,
  });
  if (isProblem(made)) return made;
  return { ...made, categories: categoriesOf(entry) };
}

/** Primary first (arxiv:primary_category), then the cross-lists in the feed's order, each once. */
function categoriesOf(entry: Record<string, unknown>): string[] {
  const primary = attr(entry.primary_category, 'term');
  const all = ((entry.category as unknown[] | undefined) ?? []).map((c) => attr(c, 'term'));
  const out: string[] = [];
  for (const c of [primary, ...all]) if (c && /^[A-Za-z][\w.-]{0,40}$/.test(c) && !out.includes(c)) out.push(c);
  return out;
}

function extraOf(entry: Record<string, unknown>): PaperExtra {
  const comment = cleanText(decode(textOf(entry.comment)));
  return comment ? { arxivComment: comment.slice(0, 500) } : {};
}

/** An element's text whether the parser gave a string or an object with attributes and #text. */
function textOf(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object' && '#text' in v) return String((v as Record<string, unknown>)['#text']);
  return '';
}

function attr(v: unknown, name: string): string {
  const a = v && typeof v === 'object' ? (v as Record<string, unknown>)[`@_${name}`] : undefined;
  return typeof a === 'string' ? a.trim() : '';
}

const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** XML's predefined entities and character references; anything else stays as written. */
function decode(s: string): string {
  return s.replace(/&(?:#(\d{1,7})|#x([0-9a-fA-F]{1,6})|(amp|lt|gt|quot|apos));/g, (m, dec: string, hex: string, name: string) => {
    if (name) return PREDEFINED[name]!;
    const cp = dec ? Number(dec) : parseInt(hex, 16);
    return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : m;
  });
}
