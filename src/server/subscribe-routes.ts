// Subscribe, confirm, preferences and one-click unsubscribe pages: only token routes change a subscriber's state.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { WEEKDAYS } from '../clock.ts';
import type { Cadence } from '../domain.ts';
import { compileWebTemplate } from '../render/site.ts';
import { checkAddress } from '../subscribe/email-address.ts';
import { confirmSubscription, inspectConfirmToken, normalizeTopics, requestSubscription, sendConfirmation, type SubscribeDeps } from '../subscribe/service.ts';
import { signToken, verifySigned } from '../subscribe/tokens.ts';
import { RateLimiter } from './rate-limit.ts';

export interface SubscribeRouteOptions extends SubscribeDeps {
  siteName?: string;
  log?: (line: string) => void;
  /** Per IP per hour and per address per day; tests lower them. */
  limits?: { perIpPerHour?: number; perAddressPerDay?: number };
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

export async function registerSubscribeRoutes(app: FastifyInstance, deps: SubscribeRouteOptions): Promise<void> {
  const page = compileWebTemplate('subscribe/page.hbs');
  const form = compileWebTemplate('subscribe/subscribe.hbs');
  const prefs = compileWebTemplate('subscribe/preferences.hbs');
  const siteName = deps.siteName ?? 'paperboy';
  const perIp = new RateLimiter(deps.limits?.perIpPerHour ?? 10, 3600_000);
  const perAddress = new RateLimiter(deps.limits?.perAddressPerDay ?? 3, 24 * 3600_000);
  const log = deps.log ?? (() => {});
  // One-click unsubscribe posts may come as multipart or plain text; the body carries nothing we need.
  for (const type of ['multipart/form-data', 'text/plain']) {
    if (!app.hasContentTypeParser(type)) app.addContentTypeParser(type, { parseAs: 'string' }, (_req, _body, done) => done(null, {}));
  }

  // Pages live one level down (/confirm/<token>), so links to the site go up one.
  const base = { siteName, baseUrl: deps.baseUrl, root: '../' };
  const show = (reply: FastifyReply, status: number, heading: string, paragraphs: string[], formSpec?: { action: string; button: string }, link?: { href: string; label: string }) =>
    reply
      .code(status)
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(page({ ...base, title: `${siteName} — ${heading}`, heading, paragraphs, form: formSpec, link }));
  // One answer for every bad or unknown token: nothing to learn by probing.
  const notFound = (reply: FastifyReply) => show(reply, 404, 'Link not valid', ['This link is not valid. If you copied it from an email, make sure you copied all of it.']);

  app.get('/subscribe', async (_req, reply) =>
    reply.type('text/html; charset=utf-8').send(form({ ...base, root: '', title: `${siteName} — subscribe`, topics: deps.topics })),
  );

  app.post('/subscribe', async (req: FastifyRequest, reply) => {
    const now = deps.now().getTime();
    if (!perIp.take(req.ip, now)) {
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
        'The link works for 72 hours. No email? Check your spam folder, or subscribe again later.',
      ]);
    // Over the per-address limit: the same page, and no email, so the limit reveals nothing about the address.
    if (!perAddress.take(address.email, now)) return neutral();
    const result = await requestSubscription(deps, {
      email: address.email,
      topics: topics.length ? topics : null,
      cadence,
      weekday: weekdayOf(field(req.body, 'weekday'), 1),
      ip: req.ip,
      source: 'web-form',
    });
    if (result.ok && result.delivery && !result.delivery.ok) log(`confirmation to subscriber ${result.subscriber.id} failed: ${result.delivery.response}`);
    return neutral();
  });

  app.get('/confirm/:token', async (req, reply) => {
    const { token } = req.params as { token: string };
    const seen = inspectConfirmToken(deps, token);
    if (seen.state === 'invalid') return notFound(reply);
    if (seen.state === 'used') return show(reply, 200, 'Already confirmed', ['This subscription is already confirmed.']);
    if (seen.state === 'expired') return show(reply, 410, 'This link has expired', ['Confirmation links work for 72 hours. We can send a new one.'], { action: `${token}/resend`, button: 'Send a new link' });
    // A GET never changes anything (mail scanners open links): confirming takes the button's POST.
    return show(reply, 200, 'Confirm your subscription', ['One click and your digest starts.'], { action: '', button: 'Confirm' });
  });

  app.post('/confirm/:token', async (req, reply) => {
    const { token } = req.params as { token: string };
    const r = confirmSubscription(deps, token);
    if (r.state === 'invalid') return notFound(reply);
    if (r.state === 'used') return show(reply, 200, 'Already confirmed', ['This link was already used.']);
    if (r.state === 'expired') return show(reply, 410, 'This link has expired', ['Confirmation links work for 72 hours.'], { action: `${token}/resend`, button: 'Send a new link' });
    const prefsToken = signToken(deps.secrets, r.subscriberId!, 'preferences');
    return show(reply, 200, 'You are subscribed', ['Your first digest comes with the next edition.', 'You can change your topics or leave at any time from the links in every email.'], undefined, {
      href: `../preferences/${prefsToken}`,
      label: 'Choose topics and cadence',
    });
  });

  app.post('/confirm/:token/resend', async (req, reply) => {
    const { token } = req.params as { token: string };
    const seen = inspectConfirmToken(deps, token);
    if (seen.state !== 'expired') return notFound(reply);
    const s = deps.subscribers.get(seen.subscriberId!);
    if (s?.status === 'pending' && perAddress.take(s.email, deps.now().getTime())) await sendConfirmation(deps, s);
    return show(reply, 200, 'Check your inbox', ['If the subscription is still waiting for confirmation, a new link is on its way.']);
  });

  const prefsPage = (reply: FastifyReply, id: number, token: string, saved: boolean) => {
    const s = deps.subscribers.get(id);
    if (!s) return notFound(reply);
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(
        prefs({
          ...base,
          title: `${siteName} — preferences`,
          email: s.email,
          status: s.status,
          saved,
          topics: deps.topics.map((t) => ({ ...t, checked: s.topics?.includes(t.slug) ?? false })),
          daily: s.cadence === 'daily',
          weekdays: WEEKDAYS.map((w, i) => ({ value: i, label: w[0]!.toUpperCase() + w.slice(1), selected: i === s.weekday })),
          unsubscribeAction: `../unsubscribe/${signToken(deps.secrets, id, 'unsubscribe')}`,
        }),
      );
  };

  app.get('/preferences/:token', async (req, reply) => {
    const { token } = req.params as { token: string };
    const id = verifySigned(deps.secrets, token, 'preferences');
    return id === null ? notFound(reply) : prefsPage(reply, id, token, false);
  });

  app.post('/preferences/:token', async (req, reply) => {
    const { token } = req.params as { token: string };
    const id = verifySigned(deps.secrets, token, 'preferences');
    if (id === null || !deps.subscribers.get(id)) return notFound(reply);
    const topics = list(req.body, 'topics');
    const cadence = cadenceOf(field(req.body, 'cadence'));
    if (topics === null || cadence === null) return show(reply, 400, 'Something is off', ['The form could not be read. Please go back and try again.']);
    const current = deps.subscribers.get(id)!;
    deps.subscribers.setPreferences(id, { topics: normalizeTopics(topics.length ? topics : null, deps.topics), cadence, weekday: weekdayOf(field(req.body, 'weekday'), current.weekday) });
    return prefsPage(reply, id, token, true);
  });

  app.get('/unsubscribe/:token', async (req, reply) => {
    const { token } = req.params as { token: string };
    const id = verifySigned(deps.secrets, token, 'unsubscribe');
    if (id === null || !deps.subscribers.get(id)) return notFound(reply);
    // Shows a button and changes nothing: link scanners and previews follow GETs.
    return show(reply, 200, 'Unsubscribe?', ['You will get no more digests. You can subscribe again at any time.'], { action: '', button: 'Unsubscribe' });
  });

  // RFC 8058 one-click: the mailbox provider POSTs `List-Unsubscribe=One-Click` with no cookies and no CSRF
  // token; the signed URL is the authorization. Any body (or none) is accepted; the effect is idempotent.
  app.post('/unsubscribe/:token', async (req, reply) => {
    const { token } = req.params as { token: string };
    const id = verifySigned(deps.secrets, token, 'unsubscribe');
    if (id === null || !deps.subscribers.get(id)) return notFound(reply);
    deps.subscribers.unsubscribe(id, deps.now().toISOString());
    return show(reply, 200, 'You are unsubscribed', ['You will get no more digests. Changed your mind? Subscribe again from the home page.']);
  });
}
