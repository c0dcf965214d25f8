// Bench: regenerate every feed for 10,000 papers vs the bare rss package writing the same number of items.
import RSS from 'rss';
import { renderFeeds } from '../src/render/feeds.ts';
import type { SiteInput } from '../src/render/site-input.ts';
import { seedEdition, TOPICS } from '../test/render/factory.ts';
import { quick, report, time } from './lib.ts';

const PAPERS = quick ? 2000 : 10_000;
// Recombined real seed papers over ten editions of PAPERS/10 each.
const editions = Array.from({ length: 10 }, (_, i) => {
  const e = seedEdition(`2026-11-${String(24 - i).padStart(2, '0')}`, 500, 0);
  const papers = Array.from({ length: PAPERS / 10 }, (_, j) => {
    const src = e.papers[j % e.papers.length]!;
    return { ...src, paper: { ...src.paper, id: `p-${i}-${j}`, editionId: e.id, firstSeen: `${e.id}T06:00:${String(j % 60).padStart(2, '0')}Z` } };
  });
  return { ...e, papers };
});
const input: SiteInput = { editions, topics: TOPICS, baseUrl: 'https://papers.example.org', feedItems: 100 };

renderFeeds(input); // warm-up
const ours = await time(() => renderFeeds(input));
const feeds = [...ours.value.keys()].filter((k) => k.endsWith('.xml') && !k.endsWith('opml.xml'));
// Baseline: the bare rss package, one feed per RSS file paperboy writes, the same 100 newest papers each.
const items = editions.flatMap((e) => e.papers).slice(0, 100);
const bare = await time(() => {
  let size = 0;
  for (const name of feeds) {
    const f = new RSS({ title: name, feed_url: `https://papers.example.org/${name}`, site_url: 'https://papers.example.org/' });
    for (const ep of items) f.item({ title: ep.paper.title, description: ep.paper.abstract, url: `https://arxiv.org/abs/${ep.paper.id}`, guid: ep.paper.id, categories: [], date: ep.paper.firstSeen });
    size += f.xml().length;
  }
  return size;
});
const second = renderFeeds(input);
for (const [k, v] of ours.value) if (second.get(k) !== v) throw new Error(`feeds bench: ${k} is not byte-stable`);
console.log(`feeds: ${feeds.length} RSS feeds (+ JSON + OPML) for ${PAPERS} papers: paperboy ${ours.ms.toFixed(0)} ms, bare rss ${bare.ms.toFixed(0)} ms`);
report({ workload: 'feeds', papers: PAPERS, feeds: feeds.length, ms: ours.ms, baselineMs: bare.ms, ratio: ours.ms / bare.ms });
