// A paper's identity, shared by ingest, the store and the reader's links: normalized title keys, title-based ids, arXiv ids.
import { createHash } from 'node:crypto';

/**
 * The normalized title used for identity: case, whitespace, punctuation, accents and LaTeX markup folded,
 * so `H$_2$O`, `H2O` and `h_{2}o` are one title.
 */
export function titleKey(title: string): string {
  return title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '') // combining accents
    .replace(/\\[a-zA-Z]+\s*/g, ' ') // LaTeX commands: \mathcal, \textbf …
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The id of a paper without an arXiv id: stable as long as its normalized title is. */
export function titleId(key: string): string {
  return 't-' + createHash('sha256').update(key).digest('hex').slice(0, 16);
}

// New-style ids (2410.17243, optional version) and old-style (hep-th/9901001, cs.LG/0101001).
const ARXIV_NEW = /^(?:arxiv:)?(\d{4}\.\d{4,5})(?:v\d+)?$/i;
const ARXIV_OLD = /^(?:arxiv:)?([a-z-]+(?:\.[A-Z]{2})?\/\d{7})(?:v\d+)?$/i;

/** A canonical arXiv id without version, or null when the value is not one. */
export function arxivId(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const v = value.trim();
  const m = ARXIV_NEW.exec(v) ?? ARXIV_OLD.exec(v);
  return m?.[1] ?? null;
}

/**
 * An arXiv id from the ways people and pages refer to a paper: the id (with or without `arXiv:` and a
 * version), or an arxiv.org abs/pdf link or a huggingface.co / hf.co papers link (absolute or relative).
 */
export function arxivIdFromRef(ref: string): string | null {
  const link = /(?:arxiv\.org\/(?:abs|pdf)|(?:huggingface|hf)\.co\/papers|^\/papers)\/([^?#\s]+?)(?:\.pdf)?\/?(?:[?#]\S*)?$/i.exec(ref.trim());
  return arxivId(link?.[1] ?? ref);
}
