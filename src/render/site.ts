// The static archive: landing page, index of editions, one page per edition (the web digest); pure, byte-stable.
import { readFileSync } from 'node:fs';
import Handlebars from 'handlebars';
import { OTHER_TOPIC, type Edition } from '../domain.ts';
import { buildDigest } from '../edition/digest.ts';
import { digestView } from './email-view.ts';
import { feedTopics, feedUrl } from './feeds.ts';
import { formatDate, paperLinks } from './links.ts';
import { readable } from './readable.ts';
import { editionUrl, paperAnchor, siteName, type SiteInput } from './site-input.ts';

const TEMPLATES = new URL('../../templates/web/', import.meta.url);

type Template = Handlebars.TemplateDelegate;
let templates: Record<'index' | 'archive' | 'edition' | 'notFound', Template> | null = null;
let web: typeof Handlebars | null = null;

/** An isolated Handlebars instance with the site's partials, so partial names never clash with the email's. */
function instance(): typeof Handlebars {
  if (web) return web;
  web = Handlebars.create();
  for (const p of ['head', 'foot', 'sections']) web.registerPartial(p, readFileSync(new URL(`partials/${p}.hbs`, TEMPLATES), 'utf8'));
  return web;
}

/** Compiles a page template under templates/web/ (with the site's partials); callers keep the result. */
export function compileWebTemplate(name: string): Template {
  return instance().compile(readFileSync(new URL(name, TEMPLATES), 'utf8'), { strict: false });
}

/** Compiled once per process. */
function load() {
  if (templates) return templates;
  const compile = compileWebTemplate;
  templates = { index: compile('index.hbs'), archive: compile('archive-index.hbs'), edition: compile('edition.hbs'), notFound: compile('not-found.hbs') };
  return templates;
}

const topicCounts = (e: Edition) => {
  const counts = new Map<string, number>();
  for (const ep of e.papers) counts.set(ep.classification.primary, (counts.get(ep.classification.primary) ?? 0) + 1);
  return counts;
};

/** The web version of an edition's digest: every paper (no email budget), with an anchor per paper for feed links. */
export function editionPage(input: SiteInput, e: Edition, prev: Edition | undefined, next: Edition | undefined): string {
  const digest = buildDigest([e], { topics: null, cadence: 'daily' }, input.topics, { perSectionBudget: Number.MAX_SAFE_INTEGER, totalBudget: Number.MAX_SAFE_INTEGER });
  const base = { siteName: siteName(input), baseUrl: input.baseUrl, root: '../' };
  const view = digestView(digest, { baseUrl: input.baseUrl, archiveUrl: editionUrl(input.baseUrl, e.id), topics: input.topics });
  const filled = digest.sections.filter((s) => s.total > 0);
  const sections = view.sections.map((s, i) => ({ ...s, cards: s.cards.map((c, j) => ({ ...c, id: paperAnchor(filled[i]!.papers[j]!.paper.id) })) }));
  return load().edition({
    ...base,
    title: `${siteName(input)} — ${formatDate(e.id)}: ${e.papers.length} new papers`,
    headline: view.headline.replace('today', `on ${formatDate(e.id)}`),
    dateLabel: view.dateLabel,
    toc: view.toc,
    trending: view.trending,
    sections,
    prev: prev ? `${prev.id}.html` : null,
    next: next ? `${next.id}.html` : null,
  });
}

export function renderSite(input: SiteInput): Map<string, string> {
  const files = new Map<string, string>();
  const t = load();
  const name = siteName(input);
  const names = new Map(feedTopics(input).map((x) => [x.slug, x.name]));
  const latest = input.editions[0];
  const totals = new Map<string, number>();
  for (const e of input.editions) for (const [slug, n] of topicCounts(e)) totals.set(slug, (totals.get(slug) ?? 0) + n);

  files.set(
    'index.html',
    t.index({
      siteName: name,
      baseUrl: input.baseUrl,
      root: '',
      title: `${name} — research papers by topic`,
      topics: input.topics,
      latest: latest && {
        url: `archive/${latest.id}.html`,
        label: formatDate(latest.id, true),
        count: latest.papers.length,
        top: latest.papers.slice(0, 8).map((ep) => ({ title: readable(ep.paper.title), url: paperLinks(ep.paper).primary, topic: names.get(ep.classification.primary) ?? '' })),
      },
      feeds: feedTopics(input).map((x) => ({
        name: x.name,
        description: x.description,
        count: totals.get(x.slug) ?? 0,
        rss: `feeds/${x.slug}.xml`,
        json: `feeds/${x.slug}.json`,
      })),
      allFeed: feedUrl(input.baseUrl, 'all', 'xml'),
    }),
  );
  files.set(
    'archive/index.html',
    t.archive({
      siteName: name,
      baseUrl: input.baseUrl,
      root: '../',
      title: `${name} — all editions`,
      editions: input.editions.map((e) => ({
        url: `${e.id}.html`,
        label: formatDate(e.id, true),
        count: e.papers.length,
        topics: [...topicCounts(e)].sort((a, b) => b[1] - a[1]).slice(0, 4).map(([slug, n]) => `${slug === OTHER_TOPIC ? 'Other' : (names.get(slug) ?? slug)} ${n}`).join(', '),
      })),
    }),
  );
  input.editions.forEach((e, i) => files.set(`archive/${e.id}.html`, editionPage(input, e, input.editions[i + 1], input.editions[i - 1])));
  files.set('404.html', t.notFound({ siteName: name, baseUrl: input.baseUrl, root: '/', title: `${name} — not found` }));
  return files;
}
