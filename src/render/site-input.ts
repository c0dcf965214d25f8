// What the feed and site renderers need: published editions (newest first), topics, public URL, sizes.
import type { Edition, TopicDef } from '../domain.ts';

export interface SiteInput {
  /** Published editions with their papers, newest first. */
  editions: Edition[];
  topics: TopicDef[];
  /** Public URL without a trailing slash. */
  baseUrl: string;
  /** Items per feed. */
  feedItems: number;
  siteName?: string;
}

export const siteName = (input: SiteInput) => input.siteName ?? 'paperboy';

/** The archive page of an edition and a paper's anchor on it. */
export const editionUrl = (baseUrl: string, editionId: string) => `${baseUrl}/archive/${editionId}.html`;
export const paperAnchor = (paperId: string) => `p-${paperId.replace(/[^A-Za-z0-9_.-]/g, '-')}`;

/** XML 1.0 cannot carry C0 controls (but tab/newline/CR), lone surrogates or U+FFFE/U+FFFF: strip them. */
export function xmlSafe(s: string): string {
  return s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '');
}
