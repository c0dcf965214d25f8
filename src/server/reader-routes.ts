// A reader's private routes: feedback on a paper (GET confirms, POST records), their own digest page, their private
// feed, and the preferences page's picks part (signals shown and cleared, private links reset).
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { TopicDef } from '../domain.ts';
import { buildDigest } from '../edition/digest.ts';
import { PoolCache, readerDigests } from '../edition/reader-digest.ts';
import { picksView, type PickCard } from '../render/picks.ts';
import { digestView } from '../render/email-view.ts';
import { formatDate, formatDateRange } from '../render/links.ts';
import { readable } from '../render/readable.ts';
import { readerFeedJson, readerFeedXml } from '../render/reader-feed.ts';
import { compileWebTemplate } from '../render/site.ts';
import type { EditionsRepo } from '../store/editions.ts';
import type { InterestsRepo } from '../store/interests.ts';
import type { StoredSubscriber, SubscribersRepo } from '../store/subscribers.ts';
import { readerUrls, verifyReader, type ReaderPurpose } from '../reader-links.ts';
import { preferencesUrl, verifySigned } from '../signed-links.ts';

export interface ReaderRouteDeps {
  subscribers: SubscribersRepo;
  interests: InterestsRepo;
  editions: EditionsRepo;
  topics: TopicDef[];
  baseUrl: string;
  secrets: string[];
  now: () => Date;
  siteName?: string;
}

const SIGNALS = { more: 1, fewer: -1 } as const;
type SignalWord = keyof typeof SIGNALS;
const FEED_EDITIONS = 7;

export async function registerReaderRoutes(app: FastifyInstance, deps: ReaderRouteDeps): Promise<void> {
  const page = compileWebTemplate('subscribe/page.hbs');
  const readerPage = compileWebTemplate('reader/page.hbs');
  const siteName = deps.siteName ?? 'paperboy';
  const cache = new PoolCache();
  const reader = (purpose: ReaderPurpose, token: string) =>
    verifyReader(deps.secrets, token, purpose, (id) => deps.subscribers.get(id), (id) => deps.interests.linkNonce(id));
  const urlsOf = (s: StoredSubscriber) => readerUrls(deps.baseUrl, deps.secrets, s, deps.interests.linkNonce(s.id));
  const show = (reply: FastifyReply, status: number, root: string, heading: string, paragraphs: string[], form?: { action: string; button: string }, link?: { href: string; label: string }) =>
    reply
      .code(status)
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(page({ siteName, baseUrl: deps.baseUrl, root, title: `${siteName} — ${heading}`, heading, paragraphs, form, link }));
  // One answer for a forged, revoked (new private links, unsubscribed) or malformed link.
  const notFound = (reply: FastifyReply, root: string) => show(reply, 404, root, 'Link not valid', ['This link is not valid. If you copied it from an email, make sure you copied all of it.']);
  const FEEDBACK_ROOT = '../../../';

  const feedbackTarget = (params: unknown) => {
    const { token, paper, signal } = params as { token: string; paper: string; signal: string };
    const s = reader('feedback', token);
    if (!s || !(signal in SIGNALS)) return null;
    const p = deps.interests.paper(paper);
    return p && p.id === paper ? { s, p, word: signal as SignalWord } : null;
  };
  const whatIsStored = (word: SignalWord, id: string) =>
    `What is stored: that you want ${word === 'more' ? 'more' : 'fewer'} papers like this one (its id, ${id}) and today's date, with your subscription. Nothing else: no record of opening emails or following links. Your preferences page lists every signal and can forget them.`;

  // A GET changes nothing (mail scanners and link previews follow links): it asks, and the button POSTs.
  app.get('/feedback/:token/:paper/:signal', async (req, reply) => {
    const t = feedbackTarget(req.params);
    if (!t) return notFound(reply, FEEDBACK_ROOT);
    const title = readable(t.p.title);
    return show(reply, 200, FEEDBACK_ROOT, t.word === 'more' ? 'More like this?' : 'Fewer like this?', [`“${title}”`, whatIsStored(t.word, t.p.id)], {
      action: '',
      button: t.word === 'more' ? 'Yes, more like this' : 'Yes, fewer like this',
    });
  });

  app.post('/feedback/:token/:paper/:signal', async (req, reply) => {
    const t = feedbackTarget(req.params);
    if (!t) return notFound(reply, FEEDBACK_ROOT);
    deps.interests.mark(t.s.id, t.p.id, SIGNALS[t.word], deps.now().toISOString());
    return show(
      reply,
      200,
      FEEDBACK_ROOT,
      'Saved',
      [`Your next digest picks ${t.word === 'more' ? 'more' : 'fewer'} papers like “${readable(t.p.title)}”.`],
      undefined,
      { href: preferencesUrl(deps.baseUrl, deps.secrets, t.s), label: 'See or forget what is stored' },
    );
  });

  app.get('/my/:token', async (req, reply) => {
    const s = reader('feed', (req.params as { token: string }).token);
    if (!s) return notFound(reply, '../');
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').header('x-robots-tag', 'noindex').send(renderReaderPage(s));
  });

  app.get('/feed/:file', async (req, reply) => {
    const m = /^(.+)\.(xml|json)$/.exec((req.params as { file: string }).file);
    const s = m ? reader('feed', m[1]!) : null;
    if (!m || !s) return notFound(reply, '../');
    const urls = urlsOf(s);
    const input = {
      baseUrl: deps.baseUrl,
      listName: siteName,
      feedXml: urls.feedXml,
      feedJson: urls.feedJson,
      pageUrl: urls.page,
      editions: readerDigests(deps, cache, s, deps.topics, FEED_EDITIONS).map((d) => ({ id: d.editions.at(-1)!.id, picks: d.picks, papers: d.papers })),
    };
    return m[2] === 'xml'
      ? reply.type('application/rss+xml; charset=utf-8').header('cache-control', 'private, no-cache').send(readerFeedXml(input))
      : reply.type('application/feed+json; charset=utf-8').header('cache-control', 'private, no-cache').send(readerFeedJson(input));
  });

  function renderReaderPage(s: StoredSubscriber): string {
    const urls = urlsOf(s);
    const prefs = preferencesUrl(deps.baseUrl, deps.secrets, s);
    const [d] = readerDigests(deps, cache, s, deps.topics, 1);
    const weekly = s.cadence === 'weekly';
    const base = { siteName, baseUrl: deps.baseUrl, root: '../', title: `${siteName} — your digest`, prefsUrl: prefs, feedXml: urls.feedXml, feedJson: urls.feedJson };
    if (!d) return readerPage({ ...base, dateLabel: '', headline: 'No edition yet', picks: [], sections: [], noPicks: '' });
    const digest = buildDigest(d.editions, { topics: s.topics, cadence: s.cadence }, deps.topics, { perSectionBudget: Number.MAX_SAFE_INTEGER, totalBudget: Number.MAX_SAFE_INTEGER });
    const view = digestView(digest, { baseUrl: deps.baseUrl, topics: deps.topics, listName: siteName });
    const filled = digest.sections.filter((x) => x.total > 0);
    const sections = view.sections.map((sv, i) => ({
      ...sv,
      cards: sv.cards.map((c, j) => {
        const id = filled[i]!.papers[j]!.paper.id;
        return { ...c, more: urls.feedback(id, 'more'), fewer: urls.feedback(id, 'fewer') };
      }),
    }));
    const picks: PickCard[] = picksView(d.picks, { prefsUrl: prefs, pageUrl: urls.page, feedback: urls.feedback, candidates: 0, basis: '' }).cards;
    const first = d.editions[0]!.id;
    const last = d.editions.at(-1)!.id;
    return readerPage({
      ...base,
      dateLabel: weekly ? formatDateRange(first, last) : formatDate(last, true),
      headline: view.headline,
      picks,
      sections,
      noPicks: 'No picks: add interests on your preferences page, or mark papers below with "More like this".',
    });
  }
}

/** The preferences page's picks part: the view, and the POST routes that forget signals and reset private links. */
export function interestsPart(deps: ReaderRouteDeps, s: StoredSubscriber, prefsAction: string) {
  const i = deps.interests.get(s.id);
  const urls = readerUrls(deps.baseUrl, deps.secrets, s, deps.interests.linkNonce(s.id));
  return {
    keywordsText: i.keywords.join(', '),
    followsText: i.follows.join(', '),
    authorsText: i.authors.join('; '),
    follows: i.follows.map((ref) => {
      const p = deps.interests.paper(ref);
      return { label: p ? `${readable(p.title)} (${ref})` : `${ref} (not seen here yet)` };
    }),
    signals: deps.interests.feedback(s.id).map((f) => ({ verb: f.signal === 1 ? 'More like this' : 'Fewer like this', title: readable(f.title), id: f.id, idPath: encodeURIComponent(f.id), date: f.at.slice(0, 10) })),
    prefsAction,
    pageUrl: urls.page,
    feedXml: urls.feedXml,
    feedJson: urls.feedJson,
  };
}

export async function registerInterestsPrefsRoutes(app: FastifyInstance, deps: ReaderRouteDeps, afterChange: (reply: FastifyReply, s: StoredSubscriber) => unknown, notFound: (reply: FastifyReply) => unknown): Promise<void> {
  const subject = (token: string) => verifySigned(deps.secrets, token, 'preferences', (id) => deps.subscribers.get(id));
  app.post('/preferences/:token/feedback/clear', async (req, reply) => {
    const s = subject((req.params as { token: string }).token);
    if (!s) return notFound(reply);
    deps.interests.clearFeedback(s.id);
    return afterChange(reply, s);
  });
  app.post('/preferences/:token/feedback/:paper/remove', async (req, reply) => {
    const { token, paper } = req.params as { token: string; paper: string };
    const s = subject(token);
    if (!s) return notFound(reply);
    deps.interests.unmark(s.id, paper);
    return afterChange(reply, s);
  });
  app.post('/preferences/:token/links/reset', async (req, reply) => {
    const s = subject((req.params as { token: string }).token);
    if (!s) return notFound(reply);
    deps.interests.resetLinks(s.id);
    return afterChange(reply, s);
  });
}

/** Interests from the preferences form (absent fields keep what is stored). */
export function interestsFromForm(body: unknown): { keywords?: string; follow?: string; authors?: string } {
  const b = (body ?? {}) as Record<string, unknown>;
  const text = (k: string) => (typeof b[k] === 'string' ? (b[k] as string).slice(0, 4000) : undefined);
  return { keywords: text('keywords'), follow: text('follows'), authors: text('authors') };
}
