// Subscribe, confirm, preferences and one-click unsubscribe pages: a sign-up request creates or notes a row; only token routes change a subscriber's state.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { WEEKDAYS } from '../clock.ts';
import { currentSlugs, type Cadence } from '../domain.ts';
import { compileWebTemplate } from '../render/site.ts';
import type { StoredSubscriber } from '../store/subscribers.ts';
import { BackgroundTasks } from '../subscribe/background.ts';
import { checkAddress } from '../subscribe/email-address.ts';
import { applyRequest, confirmSubscription, inspectConfirmToken, normalizeTopics, sendConfirmation, type SubscribeDeps } from '../subscribe/service.ts';
import { CONFIRM_TTL_HOURS, signToken, verifySigned, type SignedPurpose } from '../signed-links.ts';
import type { ConfirmRequestsRepo } from '../store/confirm-requests.ts';
import { addressKey, clientKey, RateLimiter, storedLimiter, type Limiter } from './rate-limit.ts';
import { interestsFromForm, interestsPart, registerInterestsPrefsRoutes, registerReaderRoutes, type ReaderRouteDeps } from './reader-routes.ts';
import { mergeInterests } from '../subscribe/interests.ts';

export interface SubscribeRouteOptions extends SubscribeDeps {
  siteName?: string;
  /** Where failures nobody waits for (a confirmation that could not be sent) are reported; default stderr. */
  log?: (line: string) => void;
  /**
   * Per IP (IPv6: per /64) per hour, per address per day, and confirmation requests per hour over all clients
   * (PAPERBOY_CONFIRM_PER_HOUR); tests lower them.
   */
  limits?: { perIpPerHour?: number; perAddressPerDay?: number; perHour?: number };
  /**
   * Where the per-IP, per-address and overall counts are kept (the store, so a restart forgets nothing and
   * two servers on one data folder share them); in memory when absent.
   */
  counts?: ConfirmRequestsRepo;
  /** Confirmation mail goes out after the response; tests pass their own to wait for it. */
  tasks?: BackgroundTasks;
  /** Interests, feedback and the private feed ("Picked for you"); without it the pages have no interests part. */
  reader?: Omit<ReaderRouteDeps, 'subscribers' | 'topics' | 'baseUrl' | 'secrets' | 'now'>;
}

const MAX_TOPICS = 100;

/** Form fields arrive as a string or (repeated checkboxes) an array; anything else is refused. */
function field(body: unknown, name: string): string | undefined {
  const v = (body as Record<string, unknown> | null)?.[name];
  return typeof v === 'string' ? v : undefined;
}
function list(body: unknown, name: string): string[] | null {
  const v = (body as Record<string, unknown> | null)?.[name];
  if (v === undefined || v === '') return [];
  const arr = Array.isArray(v) ? v : [v];
  if (arr.length > MAX_TOPICS || !arr.every((x) => typeof x === 'string' && x.length <= 64)) return null;
  return arr as string[];
}
const cadenceOf = (v: string | undefined): Cadence | null => (v === undefined || v === 'daily' ? 'daily' : v === 'weekly' ? 'weekly' : null);
const weekdayOf = (v: string | undefined, fallback: number) => (v !== undefined && /^[0-6]$/.test(v) ? Number(v) : fallback);
const TTL = `${CONFIRM_TTL_HOURS} hours`;

export async function registerSubscribeRoutes(app: FastifyInstance, deps: SubscribeRouteOptions): Promise<void> {
  const page = compileWebTemplate('subscribe/page.hbs');
  const form = compileWebTemplate('subscribe/subscribe.hbs');
  const prefs = compileWebTemplate('subscribe/preferences.hbs');
  const interestsTemplate = compileWebTemplate('reader/interests.hbs');
  const reader: ReaderRouteDeps | null = deps.reader ? { ...deps.reader, subscribers: deps.subscribers, topics: deps.topics, baseUrl: deps.baseUrl, secrets: deps.secrets, now: deps.now, siteName: deps.siteName } : null;
  const siteName = deps.siteName ?? 'paperboy';
  const limiter = (prefix: string, limit: number, windowMs: number): Limiter =>
    deps.counts ? storedLimiter(deps.counts, prefix, limit, windowMs) : new RateLimiter(limit, windowMs);
  const perIp = limiter('ip:', deps.limits?.perIpPerHour ?? 10, 3600_000);
  // All clients together: many source addresses cannot turn the form into a mail cannon either.
  const overall = limiter('', deps.limits?.perHour ?? 100, 3600_000);
  // Per address, keyed by a keyed hash: the counts hold no address (a purged subscriber's stays gone).
  const addressLimiter = limiter('addr:', deps.limits?.perAddressPerDay ?? 3, 24 * 3600_000);
  const perAddress = { take: (email: string, now: number) => addressLimiter.take(addressKey(deps.secrets, email), now) };
  const log = deps.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const tasks = deps.tasks ?? new BackgroundTasks(log);
  // Closing the server waits for confirmations still being sent, so none is cut off mid-delivery.
  app.addHook('onClose', () => tasks.idle());
  const confirmLater = (s: StoredSubscriber) =>
    tasks.run(`confirmation to subscriber ${s.id}`, async () => {
      const outcome = await sendConfirmation(deps, s);
      if (!outcome.ok) log(`confirmation to subscriber ${s.id} failed: ${outcome.response}`);
    });
  const subject = (purpose: SignedPurpose, token: string) => verifySigned(deps.secrets, token, purpose, (id) => deps.subscribers.get(id));

  // Pages live one level down (/confirm/<token>), so links to the site go up one.
  const base = { siteName, baseUrl: deps.baseUrl, root: '../' };
  // `root` leads back to the site from the page's URL: one level down for /confirm/<t>, two for /confirm/<t>/resend.
  const show = (reply: FastifyReply, status: number, heading: string, paragraphs: string[], formSpec?: { action: string; button: string }, link?: { href: string; label: string }, root = base.root) =>
    reply
      .code(status)
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(page({ ...base, root, title: `${siteName} — ${heading}`, heading, paragraphs, form: formSpec, link }));
  // One answer for every bad or unknown token: nothing to learn by probing.
  const notFound = (reply: FastifyReply) => show(reply, 404, 'Link not valid', ['This link is not valid. If you copied it from an email, make sure you copied all of it.']);
  const leftMeanwhile = (reply: FastifyReply) =>
    show(reply, 200, 'You are not subscribed', ['This address was unsubscribed after this link was sent, so the link no longer starts a digest.', 'Changed your mind? Subscribe again from the home page.']);

  app.get('/subscribe', async (_req, reply) =>
    reply.type('text/html; charset=utf-8').send(form({ ...base, root: '', title: `${siteName} — subscribe`, topics: deps.topics })),
  );

  app.post('/subscribe', async (req: FastifyRequest, reply) => {
    const now = deps.now().getTime();
    if (!perIp.take(clientKey(req.ip), now)) {
      return show(reply.header('retry-after', '3600'), 429, 'Too many requests', ['Please try again in an hour.']);
    }
    const email = field(req.body, 'email');
    const topics = list(req.body, 'topics');
    const cadence = cadenceOf(field(req.body, 'cadence'));
    if (topics === null || cadence === null) return show(reply, 400, 'Something is off', ['The form could not be read. Please go back and try again.']);
    const address = checkAddress(email);
    if (!address.ok) return show(reply, 400, 'Check the address', [`That email address does not look right (${address.reason}). Please go back and try again.`]);
    const neutral = () =>
      show(reply, 200, 'Check your inbox', [
        'If the address can receive mail, a confirmation email is on its way. Open the link in it to start your digest.',
        `The link works for ${TTL}. No email? Check your spam folder, or subscribe again later.`,
      ]);
    // Over the overall limit: every valid request counts (known or not), so the answer says nothing about the address.
    if (!overall.take('*', now)) {
      return show(reply.header('retry-after', '3600'), 429, 'Too many sign-ups right now', ['Please try again in an hour.']);
    }
    // Over the per-address limit: the same page, and no email, so the limit reveals nothing about the address.
    if (!perAddress.take(address.email, now)) return neutral();
    // The address is checked once, above (the per-address limit needs it normalized): the rules take it as it is.
    const choice = { topics: normalizeTopics(topics.length ? topics : null, deps.topics), cadence, weekday: weekdayOf(field(req.body, 'weekday'), 1) };
    const result = applyRequest(deps.subscribers, address.email, choice, { at: new Date(now).toISOString(), ip: req.ip, source: 'web-form' });
    // Interests given at sign-up go with a new row only: a request never changes a known address.
    const keywords = field(req.body, 'keywords');
    if (reader && result.created && keywords) reader.interests.set(result.subscriber.id, mergeInterests(reader.interests.get(result.subscriber.id), { keywords }), new Date(now).toISOString());
    // Known, unknown, bounced: the same page at the same speed; the email (if any) follows the response.
    if (result.needsConfirmation) confirmLater(result.subscriber);
    return neutral();
  });

  app.get('/confirm/:token', async (req, reply) => {
    const { token } = req.params as { token: string };
    const seen = inspectConfirmToken(deps, token);
    if (seen.state === 'invalid') return notFound(reply);
    if (seen.state === 'used') return show(reply, 200, 'Already confirmed', ['This subscription is already confirmed.']);
    if (seen.state === 'revoked') return leftMeanwhile(reply);
    if (seen.state === 'expired') return show(reply, 410, 'This link has expired', [`Confirmation links work for ${TTL}. We can send a new one.`], { action: `${token}/resend`, button: 'Send a new link' });
    // A GET never changes anything (mail scanners open links): confirming takes the button's POST.
    return show(reply, 200, 'Confirm your subscription', ['One click and your digest starts.'], { action: '', button: 'Confirm' });
  });

  app.post('/confirm/:token', async (req, reply) => {
    const { token } = req.params as { token: string };
    const r = confirmSubscription(deps, token);
    if (r.state === 'invalid') return notFound(reply);
    if (r.state === 'used') return show(reply, 200, 'Already confirmed', ['This link was already used.']);
    if (r.state === 'revoked') return leftMeanwhile(reply);
    if (r.state === 'expired') return show(reply, 410, 'This link has expired', [`Confirmation links work for ${TTL}.`], { action: `${token}/resend`, button: 'Send a new link' });
    if (r.state === 'not-active') {
      if (r.status === 'unsubscribed') return leftMeanwhile(reply);
      return show(reply, 200, 'Not subscribed', ['Mail to this address has been bouncing, so the digest was not started. Subscribe again from the home page once it works.']);
    }
    const s = deps.subscribers.get(r.subscriberId!)!;
    return show(reply, 200, 'You are subscribed', ['Your first digest comes with the next edition.', 'You can change your topics or leave at any time from the links in every email.'], undefined, {
      href: `../preferences/${signToken(deps.secrets, s, 'preferences')}`,
      label: 'Choose topics and cadence',
    });
  });

  app.post('/confirm/:token/resend', async (req, reply) => {
    const { token } = req.params as { token: string };
    const seen = inspectConfirmToken(deps, token);
    if (seen.state !== 'expired') return notFound(reply);
    const s = deps.subscribers.get(seen.subscriberId!);
    // Expired (not revoked): the request still stands, whether the row is new or coming back after leaving.
    const at = deps.now().getTime();
    if ((s?.status === 'pending' || s?.status === 'unsubscribed') && perAddress.take(s.email, at) && overall.take('*', at)) confirmLater(s);
    return show(reply, 200, 'Check your inbox', ['If the subscription is still waiting for confirmation, a new link is on its way.'], undefined, undefined, '../../');
  });

  const prefsPage = (reply: FastifyReply, s: StoredSubscriber, saved: boolean) =>
    reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(
        prefs({
          ...base,
          title: `${siteName} — preferences`,
          email: s.email,
          status: s.status,
          saved,
          topics: deps.topics.map((t) => ({ ...t, checked: s.topics ? currentSlugs(s.topics, [t]).length > 0 : false })),
          daily: s.cadence === 'daily',
          weekdays: WEEKDAYS.map((w, i) => ({ value: i, label: w[0]!.toUpperCase() + w.slice(1), selected: i === s.weekday })),
          unsubscribeAction: `../unsubscribe/${signToken(deps.secrets, s, 'unsubscribe')}`,
          ...(reader ? interestsView(s) : {}),
        }),
      );

  // Relative form actions: `<token>/feedback/clear` from /preferences/<token> is /preferences/<token>/feedback/clear.
  const interestsView = (s: StoredSubscriber) => {
    const part = interestsPart(reader!, s, signToken(deps.secrets, s, 'preferences'));
    return { ...part, interestsHtml: interestsTemplate({ ...part }) };
  };
  if (reader) {
    await registerReaderRoutes(app, reader);
    await registerInterestsPrefsRoutes(
      app,
      reader,
      (reply, s) => show(reply, 200, 'Saved', ['Your preferences page shows what is stored now.'], undefined, { href: `${deps.baseUrl}/preferences/${signToken(deps.secrets, s, 'preferences')}#picks`, label: 'Back to your preferences' }, `${deps.baseUrl}/`),
      notFound,
    );
  }

  app.get('/preferences/:token', async (req, reply) => {
    const s = subject('preferences', (req.params as { token: string }).token);
    return s === null ? notFound(reply) : prefsPage(reply, s, false);
  });

  app.post('/preferences/:token', async (req, reply) => {
    const s = subject('preferences', (req.params as { token: string }).token);
    if (s === null) return notFound(reply);
    const topics = list(req.body, 'topics');
    const cadence = cadenceOf(field(req.body, 'cadence'));
    if (topics === null || cadence === null) return show(reply, 400, 'Something is off', ['The form could not be read. Please go back and try again.']);
    deps.subscribers.setPreferences(s.id, { topics: normalizeTopics(topics.length ? topics : null, deps.topics), cadence, weekday: weekdayOf(field(req.body, 'weekday'), s.weekday) });
    if (reader) reader.interests.set(s.id, mergeInterests(reader.interests.get(s.id), interestsFromForm(req.body)), deps.now().toISOString());
    return prefsPage(reply, deps.subscribers.get(s.id)!, true);
  });

  app.get('/unsubscribe/:token', async (req, reply) => {
    if (subject('unsubscribe', (req.params as { token: string }).token) === null) return notFound(reply);
    // Shows a button and changes nothing: link scanners and previews follow GETs.
    return show(reply, 200, 'Unsubscribe?', ['You will get no more digests. You can subscribe again at any time.'], { action: '', button: 'Unsubscribe' });
  });

  // RFC 8058 one-click: the mailbox provider POSTs `List-Unsubscribe=One-Click` with no cookies, no CSRF token
  // and from its own origin; the signed URL is the authorization. Any body (or none), of any content type, is
  // accepted, so this route lives in its own scope with a parser that takes everything; the effect is idempotent.
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, _body, done) => done(null, {}));
    scope.post('/unsubscribe/:token', { config: { allowCrossSite: true } }, async (req, reply) => {
      const s = subject('unsubscribe', (req.params as { token: string }).token);
      if (s === null) return notFound(reply);
      deps.subscribers.unsubscribe(s.id, deps.now().toISOString());
      return show(reply, 200, 'You are unsubscribed', ['You will get no more digests. Changed your mind? Subscribe again from the home page.']);
    });
  });
}
