// Email addresses from forms and CSV: normalized, and anything that could smuggle a header refused.
import { domainToASCII } from 'node:url';

export type AddressCheck = { ok: true; email: string } | { ok: false; reason: string };

// RFC 5322 dot-atom local part: what real mailbox providers accept; quoted local parts are refused.
const LOCAL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/**
 * Trims, lowercases the domain (and the local part: no provider we send to treats case as meaningful,
 * and one row per person matters more), converts an IDN domain to punycode.
 */
export function checkAddress(input: unknown): AddressCheck {
  if (typeof input !== 'string') return { ok: false, reason: 'email address missing' };
  const raw = input.trim();
  if (raw === '') return { ok: false, reason: 'email address missing' };
  if (raw.length > 254) return { ok: false, reason: 'email address too long' };
  if (/[\u0000-\u001f\u007f\s,<>"()[\]\\;:]/.test(raw)) return { ok: false, reason: 'email address contains characters that are not allowed' };
  const at = raw.lastIndexOf('@');
  if (at <= 0 || raw.indexOf('@') !== at) return { ok: false, reason: 'email address needs exactly one @' };
  const local = raw.slice(0, at);
  const domain = domainToASCII(raw.slice(at + 1).toLowerCase());
  if (local.length > 64 || !LOCAL.test(local)) return { ok: false, reason: 'the part before @ is not valid' };
  if (!domain || !domain.includes('.') || !domain.split('.').every((l) => LABEL.test(l)) || /^\d+$/.test(domain.split('.').pop()!)) {
    return { ok: false, reason: 'the domain is not valid' };
  }
  const email = `${local.toLowerCase()}@${domain}`;
  return email.length > 254 ? { ok: false, reason: 'email address too long' } : { ok: true, email };
}
