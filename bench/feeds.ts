// Bench: regenerate every feed for 10,000 papers (--quick 2,000) vs the bare rss package (+ JSON.stringify) on the same items.
import * as cheerio from 'cheerio';
import RSS from 'rss';
import type { EditionPaper } from '../src/domain.ts';
import { renderFeeds } from '../src/render/feeds.ts';
import type { SiteInput } from '../src/render/site-input.ts';
import { seedEdition, TOPICS } from '../test/render/factory.ts';
import { alternate, check, fmt, median, quick, report } from './lib.ts';

const PAPERS = quick ? 2000 : 10_000;
const REPS = quick ? 5 : 10;
// Feeds hold whole editions (never a count cap): the latest edition here, so both sides write the same items.
const FEED_EDITIONS = 1;
const BASE = 'https://papers.example.org';
// Recombined real seed papers over ten editions of PAPERS/10 each, newest edition first.
const editions = Array.from({ length: 10 }, (_, i) => {
  const e = seedEdition(`2026-11-${String(24 - i).padStart(2, '0')}`, 500, 0);
  const papers = Array.from({ length: PAPERS / 10 }, (_, j) => {
    const src = e.papers[j % e.papers.length]!;
    return { ...src, paper: { ...src.paper, id: `p-${i}-${j}`, editionId: e.id, firstSeen: `${e.id}T06:00:${String(j % 60).padStart(2, '0')}Z` } };
  });
  return { ...e, papers };
});
const input: SiteInput = { editions, topics: TOPICS, baseUrl: BASE, feedEditions: FEED_EDITIONS };

// The bare side picks each feed's items itself (inside its timing, as paperboy does): the papers of the newest
// editions, per topic (any of a paper's topics; "other" for none), one item per edition; writes RSS and JSON.
const names = new Map(TOPICS.map((t) => [t.slug, t.name]));
const inTopic = (ep: EditionPaper, slug: string) => (slug === 'other' ? ep.classification.topics.length === 0 : ep.classification.topics.some((t) => t.slug === slug));
const item = (ep: EditionPaper) => ({
  title: ep.paper.title,
  description: ep.paper.abstract,
  guid: `paperboy:paper:${ep.paper.id}`,
  date: ep.paper.firstSeen,
  categories: ep.classification.topics.map((t) => names.get(t.slug) ?? t.slug),
  author: ep.paper.authors.join(', '),
});
function specs() {
  const newest = editions.slice(0, FEED_EDITIONS).flatMap((e) => e.papers).sort((a, b) => b.paper.firstSeen.localeCompare(a.paper.firstSeen));
  return [
    { name: 'all', items: newest.map(item) },
    ...[...TOPICS.map((t) => t.slug), 'other'].map((slug) => ({ name: slug, items: newest.filter((ep) => inTopic(ep, slug)).map(item) })),
    { name: 'editions', items: editions.slice(0, FEED_EDITIONS).map((e) => ({ title: e.id, description: e.papers.slice(0, 5).map((ep) => ep.paper.title).join(' · '), guid: `paperboy:edition:${e.id}`, date: e.createdAt, categories: [], author: '' })) },
  ];
}
function bare(): Map<string, string> {
  const out = new Map<string, string>();
  for (const s of specs()) {
    const f = new RSS({ title: s.name, feed_url: `${BASE}/feeds/${s.name}.xml`, site_url: `${BASE}/` });
    for (const it of s.items) f.item({ title: it.title, description: it.description, url: `${BASE}/x/${it.guid}`, guid: it.guid, categories: it.categories, author: it.author || undefined, date: it.date });
    out.set(`feeds/${s.name}.xml`, f.xml({ indent: true }));
    out.set(`feeds/${s.name}.json`, JSON.stringify({ version: 'https://jsonfeed.org/version/1.1', title: s.name, items: s.items.map((it) => ({ id: it.guid, title: it.title, content_text: it.description, date_published: it.date, tags: it.categories })) }, null, 2));
  }
  return out;
}

renderFeeds(input); // warm-up, both sides
bare();
const timed = <T>(fn: () => T) => () => {
  const t = performance.now();
  const value = fn();
  return { ms: performance.now() - t, value };
};
const runs = await alternate(REPS, timed(() => renderFeeds(input)), timed(bare));
const ms = median(runs.a.map((r) => r.ms));
const baselineMs = median(runs.b.map((r) => r.ms));
const ours = runs.a[0]!.value;
const theirs = runs.b[0]!.value;

// Self-checks: byte-stable output; every feed parses, with the same items (by guid) as the bare feed.
for (const r of runs.a) for (const [k, v] of r.value) check(ours.get(k) === v, `${k} is not byte-stable`);
const guids = (xml: string) => cheerio.load(xml, { xml: true })('item > guid').map((_, el) => cheerio.load(el, { xml: true }).text()).get().sort();
let items = 0;
for (const s of specs()) {
  const name = `feeds/${s.name}.xml`;
  check(ours.has(name) && ours.has(`feeds/${s.name}.json`), `paperboy wrote no ${name}`);
  const mine = guids(ours.get(name)!);
  check(mine.length === guids(theirs.get(name)!).length && mine.join() === guids(theirs.get(name)!).join(), `${name}: ${mine.length} items, bare has ${guids(theirs.get(name)!).length}`);
  const json = JSON.parse(ours.get(`feeds/${s.name}.json`)!) as { items: { id: string }[] };
  check(json.items.map((i) => i.id).sort().join() === mine.join(), `feeds/${s.name}.json items differ from its RSS`);
  items += mine.length;
}
const rssFeeds = [...ours.keys()].filter((k) => k.endsWith('.xml') && k !== 'feeds/opml.xml').length;
check(rssFeeds === specs().length, `paperboy wrote ${rssFeeds} RSS feeds, expected ${specs().length}`);

const ratio = ms / baselineMs;
console.log(`feeds: ${rssFeeds} RSS + ${rssFeeds} JSON feeds (+ OPML), ${items} items, for ${fmt(PAPERS)} papers: paperboy median ${ms.toFixed(1)} ms, bare rss + JSON.stringify ${baselineMs.toFixed(1)} ms (${REPS} each); items match the bare feeds`);
report({
  workload: 'feeds',
  size: `${fmt(PAPERS)} papers, ${rssFeeds}×2 feeds`,
  ms,
  baselineMs,
  ratio,
  ratioOf: 'time',
  papers: PAPERS,
  feeds: rssFeeds,
  items,
  // The issue sets no figure; ours: paperboy's text cleanup and size caps cost at most as much as the formatting itself.
  targets: [{ target: '≤ 2× bare rss + JSON (ours)', measured: `${ratio.toFixed(2)}×`, pass: ratio <= 2 }],
});
