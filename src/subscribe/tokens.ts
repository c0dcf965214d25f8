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
}

/** 256 random bits, URL-safe. Only its hash is stored: a leaked database confirms nobody. */
export function newConfirmToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashToken(token) };
}

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

const mac = (secret: string, id: number, nonce: string, purpose: SignedPurpose) =>
  createHmac('sha256', secret).update(`${purpose}:${id}:${nonce}`).digest().subarray(0, 20);

/** `<id>.<mac>`: HMAC-SHA256 over purpose, id and nonce with the first (current) secret; never expires. */
export function signToken(secrets: string[], subject: LinkSubject, purpose: SignedPurpose): string {
  return `${subject.id}.${mac(secrets[0]!, subject.id, subject.linkNonce, purpose).toString('base64url')}`;
}

/**
 * The subscriber the token was signed for, if any secret (key rotation: old keys still verify) signed it for
 * this purpose and this subscriber's nonce; else null. `lookup` reads the subscriber the id names. Tokens
 * of the old id-only format (before migration 004) never verify: they cannot tell a purged id's owner from
 * its successor.
 */
export function verifySigned<T extends LinkSubject>(secrets: string[], token: string, purpose: SignedPurpose, lookup: (id: number) => T | null): T | null {
  const m = /^([1-9]\d{0,15})\.([A-Za-z0-9_-]{27})$/.exec(token);
  if (!m) return null;
  const id = Number(m[1]);
  const given = Buffer.from(m[2]!, 'base64url');
  // The last base64 character carries spare bits: refuse non-canonical spellings so one token has one form.
  if (given.toString('base64url') !== m[2]) return null;
  const subject = lookup(id);
  // An unknown id still costs the MACs, so timing does not tell which ids exist.
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
