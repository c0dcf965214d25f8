// The static archive: landing page, index of editions, one page per edition (the web digest); pure, byte-stable.
import { readFileSync } from 'node:fs';
import Handlebars from 'handlebars';
import { OTHER_TOPIC, type Edition } from '../domain.ts';
import { primaryCounts } from '../edition/build.ts';
import { buildDigest } from '../edition/digest.ts';
import { digestView } from './email-view.ts';
import { feedTopics, inTopic, publishedEditions, topicFeedName } from './feeds.ts';
import { ellipsize, formatDate, paperLinks, plural, TITLE_CHARS } from './links.ts';
import { readable } from './readable.ts';
import { editionUrl, paperAnchor, siteName, xmlSafe, type SiteInput } from './site-input.ts';

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

/**
 * Handlebars escapes `< > & " ' \` =`, which makes seed text inert in HTML; what it cannot do is drop
 * characters HTML forbids (C0 controls, U+FFFE, lone surrogates). Pages go through xmlSafe as a whole:
 * the templates themselves contain none of those characters, so only seed text is touched.
 */
const page = (html: string) => xmlSafe(html);

/** The web version of an edition's digest: every paper (no email budget), with an anchor per paper for feed links. */
export function editionPage(input: SiteInput, e: Edition, older: Edition | undefined, newer: Edition | undefined): string {
  const digest = buildDigest([e], { topics: null, cadence: 'daily' }, input.topics, { perSectionBudget: Number.MAX_SAFE_INTEGER, totalBudget: Number.MAX_SAFE_INTEGER });
  const view = digestView(digest, { baseUrl: input.baseUrl, archiveUrl: editionUrl(input.baseUrl, e.id), topics: input.topics, listName: siteName(input) });
  // digestView keeps the sections with papers, in the digest's order: zip them back to find each card's paper.
  const filled = digest.sections.filter((s) => s.total > 0);
  const sections = view.sections.map((s, i) => ({ ...s, cards: s.cards.map((c, j) => ({ ...c, id: paperAnchor(filled[i]!.papers[j]!.paper.id) })) }));
  return page(
    load().edition({
      siteName: siteName(input),
      baseUrl: input.baseUrl,
      root: '../',
      title: `${formatDate(e.id)}: ${plural(e.papers.length, 'new paper')} — ${siteName(input)}`,
      headline: view.headline,
      dateLabel: view.dateLabel,
      toc: view.toc,
      trending: e.trending.map((t) => ({ phrase: readable(t.phrase), count: t.count })),
      sections,
      prev: older ? `${older.id}.html` : null,
      prevLabel: older ? formatDate(older.id) : '',
      next: newer ? `${newer.id}.html` : null,
      nextLabel: newer ? formatDate(newer.id) : '',
    }),
  );
}

export function renderSite(input: SiteInput): Map<string, string> {
  const files = new Map<string, string>();
  const t = load();
  const name = siteName(input);
  const topics = feedTopics(input);
  const names = new Map(topics.map((x) => [x.slug, x.name]));
  const editions = publishedEditions(input);
  const latest = editions[0];
  const papers = editions.flatMap((e) => e.papers);

  files.set(
    'index.html',
    page(
      t.index({
        siteName: name,
        baseUrl: input.baseUrl,
        root: '',
        title: `${name} — research papers by topic, every day`,
        topics: input.topics.filter((x) => x.slug !== OTHER_TOPIC),
        latest: latest && {
          url: `archive/${latest.id}.html`,
          label: formatDate(latest.id, true),
          count: plural(latest.papers.length, 'new paper'),
          // The landing page points into our own archive page: the card there has the abstract and every link.
          top: latest.papers.slice(0, 8).map((ep) => ({
            title: ellipsize(readable(ep.paper.title), TITLE_CHARS),
            url: `archive/${latest.id}.html#${paperAnchor(ep.paper.id)}`,
            topic: names.get(ep.classification.primary) ?? '',
          })),
        },
        // Papers that came after the latest edition went out: here (and in the feeds) now, in the next edition's email.
        waiting: (input.pending ?? []).length > 0 && {
          count: plural(input.pending!.length, 'paper'),
          papers: input.pending!.map((ep) => ({
            id: paperAnchor(ep.paper.id),
            title: ellipsize(readable(ep.paper.title), TITLE_CHARS),
            url: paperLinks(ep.paper).primary,
            topic: names.get(ep.classification.primary) ?? '',
          })),
        },
        feeds: topics.map((x) => ({
          name: x.name,
          description: x.description,
          // Papers of the topic in the archive (primary or "also in"); its feed holds the newest of them.
          count: papers.filter((ep) => inTopic(ep, x.slug)).length,
          rss: `feeds/${topicFeedName(x.slug)}.xml`,
          json: `feeds/${topicFeedName(x.slug)}.json`,
        })),
      }),
    ),
  );
  files.set(
    'archive/index.html',
    page(
      t.archive({
        siteName: name,
        baseUrl: input.baseUrl,
        root: '../',
        title: `All editions — ${name}`,
        editions: editions.map((e) => ({
          url: `${e.id}.html`,
          label: formatDate(e.id, true),
          count: plural(e.papers.length, 'paper'),
          topics: [...primaryCounts(e.papers)]
            .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
            .slice(0, 4)
            .map(([slug, n]) => `${names.get(slug) ?? slug} ${n}`)
            .join(', '),
        })),
      }),
    ),
  );
  editions.forEach((e, i) => files.set(`archive/${e.id}.html`, editionPage(input, e, editions[i + 1], editions[i - 1])));
  // Served at any depth, so its links are absolute, on the public URL (which may carry a path: /papers/).
  files.set('404.html', page(t.notFound({ siteName: name, baseUrl: input.baseUrl, root: `${input.baseUrl}/`, title: `Not found — ${name}` })));
  return files;
}
