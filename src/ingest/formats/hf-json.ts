// Parses the JSON of the Hugging Face /api/daily_papers endpoint (and the same list inside page props).
import type { ParsedPaper, ParseProblem, ParseResult, PaperExtra } from '../../domain.ts';
import { PaperboyError } from '../../errors.ts';
import { arxivId } from '../../paper-ids.ts';
import { cleanText, count, httpUrl, isoDate, printable } from '../normalize.ts';
import { isProblem, makePaper, MAX_ABSTRACT_CHARS } from '../paper.ts';

export function looksLikeJson(text: string): boolean {
  return /^\s*[[{]/.test(text);
}

export function parseHfJson(text: string): ParseResult {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    // A cut-off download (or one broken item) still holds every item before the damage: keep those.
    const at = /at position (\d+)/.exec((err as Error).message);
    const salvaged = salvageList(at ? text.slice(0, Number(at[1])) : text);
    if (salvaged) {
      const { papers, problems } = parseItems(salvaged);
      problems.push({ line: salvaged.length + 1, message: `not valid JSON from item ${salvaged.length + 1} on (cut off?): ${printable((err as Error).message)}; the items before it were read` });
      return { format: 'hf-json', papers, problems };
    }
    // JSON.parse names the position; a cut-off download usually fails at the very end.
    throw new PaperboyError('SEED_REJECTED', `not valid JSON (truncated?): ${printable((err as Error).message)}`);
  }
  const list = findPaperList(data);
  if (!list) throw new PaperboyError('SEED_REJECTED', 'JSON holds no list of daily papers');
  return { format: 'hf-json', ...parseItems(list) };
}

/**
 * The complete items of a damaged JSON listing, given the text before the damage: the text up to the last
 * item of the outermost list that closed there, with the open brackets closed after it. Null when no item
 * closed (nothing to keep).
 */
export function salvageList(text: string): unknown[] | null {
  const stack: string[] = [];
  let inString = false;
  let cut: { end: number; closers: string } | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '[' || c === '{') stack.push(c);
    else if (c === ']' || c === '}') {
      if (stack.pop() !== (c === ']' ? '[' : '{')) break; // mismatched: the damage is here
      // An item of the outermost list just closed: a place to cut.
      if (stack.at(-1) === '[' && stack.indexOf('[') === stack.length - 1) {
        cut = { end: i + 1, closers: stack.map((o) => (o === '[' ? ']' : '}')).reverse().join('') };
      }
    }
  }
  if (!cut) return null;
  try {
    const list = findPaperList(JSON.parse(text.slice(0, cut.end) + cut.closers));
    return list && list.length > 0 ? list : null;
  } catch {
    return null;
  }
}

/** The daily-papers list: the top-level array, or an array under a known key of an object. */
export function findPaperList(data: unknown): unknown[] | null {
  if (Array.isArray(data)) return data;
  if (data && typeof data === 'object') {
    for (const key of ['dailyPapers', 'papers', 'data', 'items']) {
      const v = (data as Record<string, unknown>)[key];
      if (Array.isArray(v)) return v;
    }
  }
  return null;
}

/** Items are `{ paper: {...}, publishedAt, numComments, … }`; a bare paper object is accepted too. */
export function parseItems(list: unknown[]): { papers: ParsedPaper[]; problems: ParseProblem[] } {
  const papers: ParsedPaper[] = [];
  const problems: ParseProblem[] = [];
  list.forEach((item, index) => {
    const made = fromItem(item, index + 1);
    if (isProblem(made)) problems.push(made);
    else papers.push(made);
  });
  return { papers, problems };
}

const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);

function fromItem(item: unknown, line: number): ParsedPaper | ParseProblem {
  const outer = obj(item);
  const paper = 'paper' in outer ? obj(outer.paper) : outer;
  if (Object.keys(paper).length === 0) return { line, message: `item ${line} is not a paper object` };
  const extra: PaperExtra = {};
  // Seed text like the title: controls and bidi overrides out, bounded (an email shows the summary).
  const aiSummary = cleanText(str(paper.ai_summary) ?? '');
  if (aiSummary) extra.aiSummary = aiSummary.slice(0, MAX_ABSTRACT_CHARS);
  if (Array.isArray(paper.ai_keywords)) {
    const kws = paper.ai_keywords.filter((k): k is string => typeof k === 'string').map(cleanText).filter((k) => k !== '' && k.length <= 100).slice(0, 50);
    if (kws.length) extra.aiKeywords = kws;
  }
  const githubRepo = httpUrl(paper.githubRepo);
  if (githubRepo) extra.githubRepo = githubRepo;
  const projectPage = httpUrl(paper.projectPage);
  if (projectPage) extra.projectPage = projectPage;
  const numComments = count(outer.numComments);
  if (numComments !== null) extra.numComments = numComments;
  const authors = Array.isArray(paper.authors)
    ? paper.authors.filter((a) => !obj(a).hidden).map((a) => (typeof a === 'string' ? a : obj(a).name))
    : [];
  return makePaper({
    title: str(paper.title) ?? str(outer.title),
    abstract: str(paper.summary) ?? str(paper.abstract) ?? '',
    arxivId: arxivId(paper.id),
    authors,
    upvotes: count(paper.upvotes),
    publishedAt: isoDate(paper.publishedAt) ?? isoDate(outer.publishedAt),
    extra,
    line,
  });
}
