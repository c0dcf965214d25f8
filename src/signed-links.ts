// Tokens: random single-use confirmation tokens (stored hashed) and HMAC-signed preference/unsubscribe tokens.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Confirmation links work this long. */
export const CONFIRM_TTL_HOURS = 72;

/** `feedback` and `feed`: a reader's private links (picks feedback, private feed, own digest page), revocable on their own. */
export type SignedPurpose = 'unsubscribe' | 'preferences' | 'feedback' | 'feed';

/**
 * Whom a signed link addresses. The nonce is random per subscriber (store: link_nonce), so a link stays
 * bound to its person even if an id were ever handed out again (a purge, a restored backup).
 */
export interface LinkSubject {
  id: number;
  linkNonce: string;
  /** The opaque id a link starts with (migration 014): the sequential id never shows in a link. */
  publicId: string;
}

/** What a token's prefix names: a public id (a string), or the id itself in links signed before migration 014. */
export type SubjectRef = number | string;

/** 256 random bits, URL-safe. Only its hash is stored: a leaked database confirms nobody. */
export function newConfirmToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashToken(token) };
}

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

const mac = (secret: string, id: number, nonce: string, purpose: SignedPurpose) =>
  createHmac('sha256', secret).update(`${purpose}:${id}:${nonce}`).digest().subarray(0, 20);

/**
 * `<public id>.<mac>`: HMAC-SHA256 over purpose, id and nonce with the first (current) secret; never expires.
 * The MAC is the one links had when they started with the id itself, so those keep verifying.
 */
export function signToken(secrets: string[], subject: LinkSubject, purpose: SignedPurpose): string {
  return `${subject.publicId}.${mac(secrets[0]!, subject.id, subject.linkNonce, purpose).toString('base64url')}`;
}

// A public id is 20 hex digits (migration 014); an old link's id at most 16 digits: the two never overlap.
const TOKEN = /^(?:([0-9a-f]{20})|([1-9]\d{0,15}))\.([A-Za-z0-9_-]{27})$/;

/**
 * The subscriber the token was signed for, if any secret (key rotation: old keys still verify) signed it for
 * this purpose and this subscriber's nonce; else null. `lookup` reads the subscriber a public id (string) or,
 * in a link sent before migration 014, an id (number) names: those links, already in people's mailboxes,
 * keep working. Tokens of the older id-only format (before migration 004) never verify: they cannot tell a
 * purged id's owner from its successor.
 */
export function verifySigned<T extends LinkSubject>(secrets: string[], token: string, purpose: SignedPurpose, lookup: (ref: SubjectRef) => T | null): T | null {
  const m = TOKEN.exec(token);
  if (!m) return null;
  const given = Buffer.from(m[3]!, 'base64url');
  // The last base64 character carries spare bits: refuse non-canonical spellings so one token has one form.
  if (given.toString('base64url') !== m[3]) return null;
  const subject = lookup(m[1] ?? Number(m[2]));
  // An unknown id still costs the MACs, so timing does not tell which ids exist.
  const id = subject?.id ?? 0;
  const nonce = subject?.linkNonce ?? '';
  let ok = false;
  for (const secret of secrets) {
    const expected = mac(secret, id, nonce, purpose);
    if (given.length === expected.length && timingSafeEqual(given, expected)) ok = true;
  }
  return ok && subject ? subject : null;
}

export const unsubscribeUrl = (baseUrl: string, secrets: string[], subject: LinkSubject) => `${baseUrl}/unsubscribe/${signToken(secrets, subject, 'unsubscribe')}`;
export const preferencesUrl = (baseUrl: string, secrets: string[], subject: LinkSubject) => `${baseUrl}/preferences/${signToken(secrets, subject, 'preferences')}`;
export const confirmUrl = (baseUrl: string, token: string) => `${baseUrl}/confirm/${token}`;
