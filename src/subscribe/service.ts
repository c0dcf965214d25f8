// Subscribe, confirm, change preferences, unsubscribe: the rules, over the subscriber store and the mailer.
import { currentSlugs, type Cadence, type SubscriberStatus, type TopicDef } from '../domain.ts';
import { bareAddress, composeMessage, domainOf } from '../deliver/compose.ts';
import type { Outgoing, SendOutcome } from '../deliver/mailer.ts';
import type { Choice, Consent, StoredSubscriber, SubscribersRepo } from '../store/subscribers.ts';
import { checkAddress } from './email-address.ts';
import { CONFIRM_TTL_HOURS, confirmUrl, hashToken, newConfirmToken, unsubscribeUrl } from '../signed-links.ts';

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

/**
 * created / requested: pending (or still unsubscribed) until the emailed link is confirmed.
 * activated / reactivated: the operator vouched. kept-out: unsubscribed or bounced here, left alone.
 * bounced: a request for an address that bounces; nothing is sent to it.
 */
export type RequestAction = 'created' | 'requested' | 'already-active' | 'activated' | 'reactivated' | 'kept-out' | 'bounced';

export type SubscribeResult =
  | {
      ok: true;
      action: RequestAction;
      subscriber: StoredSubscriber;
      created: boolean;
      needsConfirmation: boolean;
      /** The status before this request (for a new row: its first). */
      was: SubscriberStatus;
    }
  | { ok: false; reason: string };

/** Keeps known topic slugs in topics.yaml order; none left (or none given) means all topics. */
export function normalizeTopics(requested: readonly string[] | null, topics: TopicDef[]): string[] | null {
  if (requested === null) return null;
  const known = currentSlugs(requested, topics);
  return known.length === 0 || known.length === topics.length ? null : known;
}

export interface ApplyOptions {
  /** Operators only: skip the opt-in. */
  activate?: boolean;
  /**
   * Someone who unsubscribed or bounced here: with `activate`, take them back (the operator's explicit
   * override); without, ask an unsubscribed address again by email (a confirmation; a bounced one gets none).
   */
  reactivate?: boolean;
  /**
   * The request comes from an operator (CLI, import), not from the person (`activate` implies it): it updates
   * an active row's choice, and someone who unsubscribed is kept out unless `reactivate`, instead of being
   * mailed a confirmation they did not ask for.
   */
  operator?: boolean;
}

/**
 * The rules for one sign-up request on a normalized address, synchronous (import runs it in a transaction).
 * A request never rewrites history: an unsubscribed row stays unsubscribed (with its date) until the person
 * confirms again, a bounced row keeps its bounce count and gets no mail, and a web request never changes an
 * active row's choice (an operator's does). Every branch does one small write, so the time taken does not
 * tell a caller which branch it took. `known` is the row for `email` when the caller has just read it
 * (import), null when there is none; undefined reads it here.
 */
export function applyRequest(
  repo: SubscribersRepo,
  email: string,
  choice: Choice,
  request: Consent,
  opts: ApplyOptions = {},
  known?: StoredSubscriber | null,
): Extract<SubscribeResult, { ok: true }> {
  const operator = opts.operator || opts.activate;
  // `fresh`: the row as it is now; the caller's copy when this request changed none of its fields.
  const result = (action: RequestAction, was: StoredSubscriber, fresh: StoredSubscriber, extra: Partial<{ created: boolean; needsConfirmation: boolean }> = {}) =>
    ({ ok: true as const, action, subscriber: fresh, was: was.status, created: false, needsConfirmation: false, ...extra });
  const reread = (s: StoredSubscriber) => repo.get(s.id)!;
  const existing = known === undefined ? repo.findByEmail(email) : known;
  if (!existing) {
    const s = repo.create({ email, ...choice, status: opts.activate ? 'active' : 'pending', consent: request });
    return result(opts.activate ? 'activated' : 'created', s, s, { created: true, needsConfirmation: !opts.activate });
  }
  switch (existing.status) {
    case 'active':
      if (!operator) {
        repo.noteRequest(existing.id, request); // a web request may not change what they chose
        return result('already-active', existing, existing);
      }
      repo.recordRequest(existing.id, choice, request);
      return result('already-active', existing, reread(existing));
    case 'pending':
      if (opts.activate) repo.activateByOperator(existing.id, choice, request);
      else repo.recordRequest(existing.id, choice, request);
      return result(opts.activate ? 'activated' : 'requested', existing, reread(existing), { needsConfirmation: !opts.activate });
    case 'unsubscribed':
    case 'bounced':
      if (operator && !opts.reactivate) return result('kept-out', existing, existing);
      if (opts.activate) {
        repo.activateByOperator(existing.id, choice, request, { resetBounces: true });
        return result('reactivated', existing, reread(existing));
      }
      if (existing.status === 'bounced') {
        repo.noteRequest(existing.id, request);
        return result('bounced', existing, existing);
      }
      repo.recordRequest(existing.id, choice, request);
      return result('requested', existing, reread(existing), { needsConfirmation: true });
  }
}

/** Validates the address and applies the rules; sending the confirmation is the caller's (the web answers first). */
export function requestSubscription(deps: Pick<SubscribeDeps, 'subscribers' | 'topics' | 'now'>, req: SubscribeRequest, opts: ApplyOptions = {}): SubscribeResult {
  const address = checkAddress(req.email);
  if (!address.ok) return { ok: false, reason: address.reason };
  const choice = { topics: normalizeTopics(req.topics, deps.topics), cadence: req.cadence, weekday: req.weekday };
  return applyRequest(deps.subscribers, address.email, choice, { at: deps.now().toISOString(), ip: req.ip, source: req.source }, opts);
}

/** A new token (replacing any older one) and the confirmation email through the digest mailer. */
export async function sendConfirmation(deps: SubscribeDeps, subscriber: StoredSubscriber): Promise<SendOutcome> {
  const { token, hash } = newConfirmToken();
  const now = deps.now();
  deps.subscribers.setConfirmToken(subscriber.id, hash, new Date(now.getTime() + CONFIRM_TTL_HOURS * 3600_000).toISOString());
  const wanted = subscriber.topics === null ? null : currentSlugs(subscriber.topics, deps.topics);
  const chosen = wanted === null ? null : deps.topics.filter((t) => wanted.includes(t.slug));
  // MJML loads here, at the first confirmation, not with every `subscribers` command.
  const { renderConfirmEmail } = await import('../render/email.ts');
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
    headers: { 'Auto-Submitted': 'auto-generated', 'List-Unsubscribe': `<${unsubscribeUrl(deps.baseUrl, deps.secrets, subscriber)}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
  });
  return deps.send({ from: bareAddress(deps.from), to: subscriber.email, raw, outboxName: `confirm/${subscriber.id}-${now.getTime()}.eml` });
}

/** revoked: the person unsubscribed after the link was sent, so it no longer subscribes them. */
export type ConfirmState = 'valid' | 'used' | 'expired' | 'revoked' | 'invalid';

/** What a confirmation token is worth right now, without changing anything (GET pages use this). */
export function inspectConfirmToken(deps: Pick<SubscribeDeps, 'subscribers' | 'now'>, token: string): { state: ConfirmState; subscriberId?: number } {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return { state: 'invalid' };
  const row = deps.subscribers.confirmToken(hashToken(token));
  if (!row) return { state: 'invalid' };
  if (row.usedAt) return { state: 'used', subscriberId: row.subscriberId };
  if (row.revokedAt) return { state: 'revoked', subscriberId: row.subscriberId };
  if (Date.parse(row.expiresAt) <= deps.now().getTime()) return { state: 'expired', subscriberId: row.subscriberId };
  return { state: 'valid', subscriberId: row.subscriberId };
}

/**
 * Confirms (POST only): single use; an expired, revoked or replayed token changes nothing. `confirmed` only
 * when the row really became active; otherwise `not-active` with the status it has (the page tells the truth).
 */
export function confirmSubscription(
  deps: Pick<SubscribeDeps, 'subscribers' | 'now'>,
  token: string,
): { state: ConfirmState | 'confirmed' | 'not-active'; subscriberId?: number; status?: SubscriberStatus | null } {
  const seen = inspectConfirmToken(deps, token);
  if (seen.state !== 'valid') return seen;
  const now = deps.now().toISOString();
  if (!deps.subscribers.useConfirmToken(hashToken(token), now)) return { state: 'used', subscriberId: seen.subscriberId };
  const id = seen.subscriberId!;
  if (deps.subscribers.confirm(id, now)) return { state: 'confirmed', subscriberId: id };
  const status = deps.subscribers.status(id);
  // Activated meanwhile by an operator: that is the truth the page can show as subscribed.
  return status === 'active' ? { state: 'confirmed', subscriberId: id } : { state: 'not-active', subscriberId: id, status };
}
