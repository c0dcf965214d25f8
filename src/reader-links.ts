// A reader's private links (feedback on picks, the private feed, their own digest page): signed like the other
// links, plus a reader nonce (store: reader_link_nonces) that the reader can reset to revoke them all.
import type { LinkSubject, SubjectRef } from './signed-links.ts';
import { signToken, verifySigned } from './signed-links.ts';

export type ReaderPurpose = 'feedback' | 'feed';

const subjectWith = (s: LinkSubject, readerNonce: string): LinkSubject => ({ id: s.id, publicId: s.publicId, linkNonce: `${s.linkNonce}:${readerNonce}` });

export const readerToken = (secrets: string[], s: LinkSubject, readerNonce: string, purpose: ReaderPurpose) => signToken(secrets, subjectWith(s, readerNonce), purpose);

/**
 * The subscriber a private link names, if it verifies with their current reader nonce and they are still
 * subscribed (an unsubscribed reader's links are revoked with the subscription); else null, one answer for all.
 */
export function verifyReader<T extends LinkSubject & { status: string }>(
  secrets: string[],
  token: string,
  purpose: ReaderPurpose,
  lookup: (ref: SubjectRef) => T | null,
  readerNonce: (id: number) => string,
): T | null {
  let found: T | null = null;
  const s = verifySigned(secrets, token, purpose, (ref) => {
    found = lookup(ref);
    return found ? subjectWith(found, readerNonce(found.id)) : null;
  });
  return s && found && (found as T).status === 'active' ? found : null;
}

export interface ReaderUrls {
  /** `<base>/feedback/<token>/<paper>/more` or `/fewer`: a GET shows a confirmation, only its POST records. */
  feedback: (paperId: string, signal: 'more' | 'fewer') => string;
  feedXml: string;
  feedJson: string;
  /** The reader's own digest page ("View in browser"). */
  page: string;
}

/** The reader's own digest page alone (one MAC): "View in browser" in every digest they are sent. */
export const readerPageUrl = (baseUrl: string, secrets: string[], s: LinkSubject, readerNonce: string) => `${baseUrl}/my/${readerToken(secrets, s, readerNonce, 'feed')}`;

export function readerUrls(baseUrl: string, secrets: string[], s: LinkSubject, readerNonce: string): ReaderUrls {
  const fb = readerToken(secrets, s, readerNonce, 'feedback');
  const feed = readerToken(secrets, s, readerNonce, 'feed');
  return {
    feedback: (paperId, signal) => `${baseUrl}/feedback/${fb}/${encodeURIComponent(paperId)}/${signal}`,
    feedXml: `${baseUrl}/feed/${feed}.xml`,
    feedJson: `${baseUrl}/feed/${feed}.json`,
    // The same token as readerPageUrl's: the page and the feed are revoked together.
    page: `${baseUrl}/my/${feed}`,
  };
}
