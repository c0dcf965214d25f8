// Paper links (arXiv, PDF, Hugging Face, or search fallbacks) and small text helpers shared by renderers.
import type { Paper, PaperExtra } from '../domain.ts';
import { readable } from './readable.ts';

export interface PaperLink {
  label: string;
  url: string;
}

export interface PaperLinks {
  /** Where the title points: the arXiv abstract, else the Hugging Face search. */
  primary: string;
  links: PaperLink[];
}

// New-style (2410.17243) and old-style (hep-th/9901001) ids; anything else is treated as unknown
// so a malformed seed can never put a strange path into a link.
const ARXIV_ID = /^(?:\d{4}\.\d{4,5}|[a-z][a-z-]*(?:\.[A-Z]{2})?\/\d{7})$/;

export function knownArxivId(id: string | null | undefined): string | null {
  const t = (id ?? '').trim().replace(/v\d+$/, '');
  return ARXIV_ID.test(t) ? t : null;
}

/** The title as a search phrase: readable, with 𝒪/ℝ/₂ folded to plain letters search engines index. */
export function searchPhrase(title: string): string {
  return readable(title).normalize('NFKC').replace(/\s+/g, ' ').trim();
}

export function paperLinks(paper: Pick<Paper, 'arxivId' | 'title'> & { extra?: PaperExtra }): PaperLinks {
  const id = knownArxivId(paper.arxivId);
  const own = sourceLinks(paper.extra);
  if (id !== null) {
    const abs = `https://arxiv.org/abs/${id}`;
    return {
      primary: abs,
      links: [
        { label: 'arXiv', url: abs },
        { label: 'PDF', url: `https://arxiv.org/pdf/${id}` },
        { label: 'Hugging Face', url: `https://huggingface.co/papers/${id}` },
        ...own,
      ],
    };
  }
  const q = searchQuery(paper.title);
  const hf = `https://huggingface.co/papers?q=${q}`;
  return {
    primary: hf,
    links: [
      { label: 'Search Hugging Face', url: hf },
      { label: 'Search arXiv', url: `https://arxiv.org/search/?query=${q}&searchtype=title` },
      ...own,
    ],
  };
}

/** The code repository and project page a source names (the HF API's `githubRepo`, `projectPage`), when they are web URLs. */
function sourceLinks(extra: PaperExtra | undefined): PaperLink[] {
  const out: PaperLink[] = [];
  const code = safeHttpUrl(extra?.githubRepo);
  if (code !== null) out.push({ label: 'Code', url: code });
  const project = safeHttpUrl(extra?.projectPage);
  if (project !== null && project !== code) out.push({ label: 'Project page', url: project });
  return out;
}

/**
 * A URL from seed text, only when it is an absolute http(s) URL without credentials: `javascript:`, `data:`
 * and relative or malformed values give null. Returned normalized (the WHATWG serialization percent-encodes
 * spaces and quotes), so it is safe in an href once HTML-escaped, and in a plain-text line.
 */
function safeHttpUrl(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > 2000) return null;
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return null;
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.username !== '' || url.password !== '' || url.hostname === '') return null;
  return url.href;
}

/**
 * The whole readable title as a URL-encoded search query (runaway seed lines are cut at TITLE_CHARS, past any
 * real title): a search for a title's first words alone finds too many papers.
 */
export function searchQuery(title: string): string {
  // toWellFormed: a lone surrogate (possible from JSON "\\ud800" escapes) must not make encodeURIComponent throw.
  return encodeURIComponent(cutWords(searchPhrase(title), TITLE_CHARS).toWellFormed());
}

// Words that end in a period without ending a sentence.
const ABBREVIATIONS = /(?:^|[\s(])(?:e\.g|i\.e|et al|etc|vs|cf|Fig|Figs|Eq|Eqs|Sec|Tab|approx|resp|w\.r\.t|i\.i\.d|Dr|Mr|Ms|No|[A-Z])\.$/;

/** Sentences of `text`; a split needs `.?!`, a space, and a capital, digit or bracket after it. */
export function sentences(text: string): string[] {
  const out: string[] = [];
  const re = /[.!?]["')\]]?\s+(?=["'(\[]?[\p{Lu}\p{N}])/gu;
  let start = 0;
  for (const m of text.matchAll(re)) {
    const end = m.index + m[0].trimEnd().length;
    if (ABBREVIATIONS.test(text.slice(Math.max(start, end - 12), end))) continue;
    out.push(text.slice(start, end).trim());
    start = m.index + m[0].length;
  }
  const rest = text.slice(start).trim();
  if (rest !== '') out.push(rest);
  return out;
}

/**
 * The first two or three sentences that fit in `maxChars` (code points), then " …" when text was dropped.
 * A first sentence longer than the budget is cut on a word boundary.
 */
export function cutAbstract(text: string, maxChars = 350, maxSentences = 3): string {
  // Only the head of an abstract can be kept, so only the head is cleaned and split: a sentence cut off by
  // the slice ends past maxChars and is never kept.
  const whole = text.length <= maxChars * 3;
  const clean = (whole ? text : text.slice(0, maxChars * 3)).replace(/\s+/g, ' ').trim();
  const parts = sentences(clean.slice(0, maxChars * 2 + 2));
  if (whole && clean.length <= maxChars * 2 && len(clean) <= maxChars && parts.length <= maxSentences) return clean;
  let kept = '';
  for (const s of parts.slice(0, maxSentences)) {
    const next = kept === '' ? s : `${kept} ${s}`;
    if (len(next) + 2 > maxChars) break;
    kept = next;
  }
  if (kept !== '') return `${kept} …`;
  return `${cutWords(clean, maxChars - 1)}…`;
}

/** At most `max` code points, ending on a word boundary when one is near enough. */
export function cutWords(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  const head = chars.slice(0, max).join('');
  const space = head.lastIndexOf(' ');
  const cut = space >= head.length * 0.6 ? head.slice(0, space) : head;
  return cut.replace(/[\s,;:–—-]+$/u, '');
}

/** `cutWords` plus "…" when something was cut. */
/** Titles longer than this are cut (with an ellipsis) wherever they are shown: cards, feed items, pages. */
export const TITLE_CHARS = 300;

export function ellipsize(text: string, max: number): string {
  const cut = cutWords(text, max - 1);
  return cut === text ? text : `${cut}…`;
}

/** Length in code points, without allocating (abstracts run to thousands of characters). */
export function len(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xdc00 && c <= 0xdfff) n--;
  }
  return n;
}

// Built once: constructing an Intl formatter costs more than a whole card's rendering.
const DATE_FORMAT = new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' });

/** `2026-11-24` → `24 Nov 2026`, via Intl in UTC (no clock involved). */
export function formatDate(isoDate: string, withWeekday = false): string {
  const d = new Date(`${isoDate.slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return isoDate;
  const parts = DATE_FORMAT.formatToParts(d);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  const date = `${get('day')} ${get('month')} ${get('year')}`;
  return withWeekday ? `${get('weekday')}, ${date}` : date;
}

/** `18 – 24 Nov 2026` for a week, `24 Nov 2026` for one day. */
export function formatDateRange(first: string, last: string): string {
  if (first === '' || first === last) return formatDate(last);
  const a = formatDate(first);
  const b = formatDate(last);
  const [ad, am, ay] = a.split(' ');
  const [, bm, by] = b.split(' ');
  if (ay === by && am === bm) return `${ad} – ${b}`;
  if (ay === by) return `${ad} ${am} – ${b}`;
  return `${a} – ${b}`;
}

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** A section anchor id: `topic-` + the slug reduced to `[a-z0-9-]`. */
export const anchorFor = (slug: string) => `topic-${slug.toLowerCase().replace(/[^a-z0-9-]+/g, '-')}`;
