// Tokens: random single-use confirmation tokens (stored hashed) and HMAC-signed preference/unsubscribe tokens.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Confirmation links work this long. */
export const CONFIRM_TTL_HOURS = 72;

export type SignedPurpose = 'unsubscribe' | 'preferences';

/** 256 random bits, URL-safe. Only its hash is stored: a leaked database confirms nobody. */
export function newConfirmToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashToken(token) };
}

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

const mac = (secret: string, id: number, purpose: SignedPurpose) => createHmac('sha256', secret).update(`${purpose}:${id}`).digest().subarray(0, 20);

/** `<id>.<mac>`: HMAC-SHA256 over id and purpose with the first (current) secret; never expires. */
export function signToken(secrets: string[], id: number, purpose: SignedPurpose): string {
  return `${id}.${mac(secrets[0]!, id, purpose).toString('base64url')}`;
}

/** The subscriber id if any secret (key rotation: old keys still verify) signed it for this purpose, else null. */
export function verifySigned(secrets: string[], token: string, purpose: SignedPurpose): number | null {
  const m = /^([1-9]\d{0,15})\.([A-Za-z0-9_-]{27})$/.exec(token);
  if (!m) return null;
  const id = Number(m[1]);
  const given = Buffer.from(m[2]!, 'base64url');
  // The last base64 character carries spare bits: refuse non-canonical spellings so one token has one form.
  if (given.toString('base64url') !== m[2]) return null;
  for (const secret of secrets) {
    const expected = mac(secret, id, purpose);
    if (given.length === expected.length && timingSafeEqual(given, expected)) return id;
  }
  return null;
}

export const unsubscribeUrl = (baseUrl: string, secrets: string[], id: number) => `${baseUrl}/unsubscribe/${signToken(secrets, id, 'unsubscribe')}`;
export const preferencesUrl = (baseUrl: string, secrets: string[], id: number) => `${baseUrl}/preferences/${signToken(secrets, id, 'preferences')}`;
export const confirmUrl = (baseUrl: string, token: string) => `${baseUrl}/confirm/${token}`;
