// Subscribe, confirm, change preferences, unsubscribe: the rules, over the subscriber store and the mailer.
import type { Cadence, Subscriber, TopicDef } from '../domain.ts';
import { bareAddress, composeMessage, domainOf } from '../deliver/compose.ts';
import type { Outgoing, SendOutcome } from '../deliver/mailer.ts';
import { renderConfirmEmail } from '../render/email.ts';
import type { SubscribersRepo } from '../store/subscribers.ts';
import { checkAddress } from './email-address.ts';
import { CONFIRM_TTL_HOURS, confirmUrl, hashToken, newConfirmToken, unsubscribeUrl } from './tokens.ts';

export interface SubscribeDeps {
  subscribers: SubscribersRepo;
  topics: TopicDef[];
  send: (message: Outgoing) => Promise<SendOutcome>;
  now: () => Date;
  baseUrl: string;
  from: string;
  secrets: string[];
}

export interface SubscribeRequest {
  email: unknown;
  topics: string[] | null;
  cadence: Cadence;
  weekday: number;
  ip: string | null;
  source: string;
}

export type SubscribeResult =
  | { ok: true; action: 'confirmation-sent' | 'already-active' | 'activated'; subscriber: Subscriber; delivery?: SendOutcome }
  | { ok: false; reason: string };

/** Keeps known topic slugs in topics.yaml order; none left (or none given) means all topics. */
export function normalizeTopics(requested: readonly string[] | null, topics: TopicDef[]): string[] | null {
  if (requested === null) return null;
  const wanted = new Set(requested);
  const known = topics.filter((t) => wanted.has(t.slug)).map((t) => t.slug);
  return known.length === 0 || known.length === topics.length ? null : known;
}

/**
 * Double opt-in: a new (or returning) address becomes pending and gets one confirmation email; nothing else
 * is ever sent to it until it confirms. An active address is left alone (no mail), so the caller can give
 * the same answer either way and nobody learns who subscribes. `activate` (operators only) skips the opt-in.
 */
export async function requestSubscription(deps: SubscribeDeps, req: SubscribeRequest, opts: { activate?: boolean } = {}): Promise<SubscribeResult> {
  const address = checkAddress(req.email);
  if (!address.ok) return { ok: false, reason: address.reason };
  const now = deps.now().toISOString();
  const existing = deps.subscribers.findByEmail(address.email);
  const topics = normalizeTopics(req.topics, deps.topics);
  if (existing?.status === 'active') {
    if (opts.activate) deps.subscribers.setPreferences(existing.id, { topics, cadence: req.cadence, weekday: req.weekday });
    return { ok: true, action: 'already-active', subscriber: deps.subscribers.get(existing.id)! };
  }
  const { subscriber } = deps.subscribers.upsert({
    email: address.email,
    topics,
    cadence: req.cadence,
    weekday: req.weekday,
    status: opts.activate ? 'active' : 'pending',
    consent: { at: now, ip: req.ip, source: req.source },
  });
  if (opts.activate) return { ok: true, action: 'activated', subscriber };
  const delivery = await sendConfirmation(deps, subscriber);
  return { ok: true, action: 'confirmation-sent', subscriber, delivery };
}

/** A new token (replacing any older one) and the confirmation email through the digest mailer. */
export async function sendConfirmation(deps: SubscribeDeps, subscriber: Subscriber): Promise<SendOutcome> {
  const { token, hash } = newConfirmToken();
  const now = deps.now();
  deps.subscribers.setConfirmToken(subscriber.id, hash, new Date(now.getTime() + CONFIRM_TTL_HOURS * 3600_000).toISOString());
  const chosen = subscriber.topics === null ? null : deps.topics.filter((t) => subscriber.topics!.includes(t.slug));
  const mail = await renderConfirmEmail({ confirmUrl: confirmUrl(deps.baseUrl, token), email: subscriber.email, topics: chosen, cadence: subscriber.cadence, baseUrl: deps.baseUrl, hours: CONFIRM_TTL_HOURS });
  const domain = domainOf(deps.from);
  const raw = await composeMessage({
    from: deps.from,
    to: subscriber.email,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    messageId: `<confirm.${subscriber.id}.${now.getTime()}@${domain}>`,
    date: now,
    // Transactional, but a way out is still welcome: the same one-click link the digests carry.
    headers: { 'Auto-Submitted': 'auto-generated', 'List-Unsubscribe': `<${unsubscribeUrl(deps.baseUrl, deps.secrets, subscriber.id)}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
  });
  return deps.send({ from: bareAddress(deps.from), to: subscriber.email, raw, outboxName: `confirm/${subscriber.id}-${now.getTime()}.eml` });
}

export type ConfirmState = 'valid' | 'used' | 'expired' | 'invalid';

/** What a confirmation token is worth right now, without changing anything (GET pages use this). */
export function inspectConfirmToken(deps: Pick<SubscribeDeps, 'subscribers' | 'now'>, token: string): { state: ConfirmState; subscriberId?: number } {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return { state: 'invalid' };
  const row = deps.subscribers.confirmToken(hashToken(token));
  if (!row) return { state: 'invalid' };
  if (row.usedAt) return { state: 'used', subscriberId: row.subscriberId };
  if (Date.parse(row.expiresAt) <= deps.now().getTime()) return { state: 'expired', subscriberId: row.subscriberId };
  return { state: 'valid', subscriberId: row.subscriberId };
}

/** Confirms (POST only): single use; an expired or replayed token changes nothing. */
export function confirmSubscription(deps: Pick<SubscribeDeps, 'subscribers' | 'now'>, token: string): { state: ConfirmState | 'confirmed'; subscriberId?: number } {
  const seen = inspectConfirmToken(deps, token);
  if (seen.state !== 'valid') return seen;
  const now = deps.now().toISOString();
  if (!deps.subscribers.useConfirmToken(hashToken(token), now)) return { state: 'used', subscriberId: seen.subscriberId };
  deps.subscribers.activate(seen.subscriberId!, now);
  return { state: 'confirmed', subscriberId: seen.subscriberId };
}
