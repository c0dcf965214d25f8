// What the feed and site renderers need: published editions (newest first), topics, public URL, sizes.
import type { Edition, EditionPaper, TopicDef } from '../domain.ts';

export interface SiteInput {
  /** Published editions with their papers, newest first. */
  editions: Edition[];
  /**
   * Papers no edition holds yet because the date's edition already went out (classified now, in reader
   * order): they wait for the next edition's email but are in the feeds and on the landing page already.
   */
  pending?: EditionPaper[];
  topics: TopicDef[];
  /** Public URL without a trailing slash. */
  baseUrl: string;
  /** How many of the newest editions the feeds hold (every paper of each; a size guard trims the oldest); default 7. */
  feedEditions?: number;
  siteName?: string;
}

export const siteName = (input: SiteInput) => input.siteName ?? 'paperboy';

/** A week of daily editions: a reader polling daily (or back from a long weekend) misses nothing. */
export const DEFAULT_FEED_EDITIONS = 7;

/** The archive page of an edition and a paper's anchor on it. */
export const editionUrl = (baseUrl: string, editionId: string) => `${baseUrl}/archive/${editionId}.html`;
export const paperAnchor = (paperId: string) => `p-${paperId.replace(/[^A-Za-z0-9_.-]/g, '-')}`;

/** XML 1.0 cannot carry C0 controls (but tab/newline/CR), lone surrogates or U+FFFE/U+FFFF: strip them. */
export function xmlSafe(s: string): string {
  return s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '');
}
