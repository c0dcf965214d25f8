// Bench: the render workload (200 MJML compiles, then 100,000 subscribers' fills, --quick 10,000) with and without "Picked for you"
// for 10% of them (keywords; some with liked papers; some with enough marks for the per-reader model). The ratio is
// the ranking's added time; memory is sampled while readers stream by, to show it stays flat in their number.
import type { Selection } from '../src/domain.ts';
import { buildDigest, selectionKey } from '../src/edition/digest.ts';
import { pickPool, picksFor, type PickPool } from '../src/edition/picks.ts';
import type { MarkedPaper, ReaderInterests } from '../src/rank/rank.ts';
import { fillRecipient, renderDigestHtml, type RenderedDigest } from '../src/render/email.ts';
import { picksView, renderPicksHtml, renderPicksText } from '../src/render/picks.ts';
import { readerUrls } from '../src/reader-links.ts';
import { CTX, TOPICS, seedEdition } from '../test/render/factory.ts';
import { alternate, check, fmt, gc, median, quick, report } from './lib.ts';

const SUBSCRIBERS = Number(process.env.BENCH_SUBSCRIBERS ?? (quick ? 10_000 : 100_000));
const SELECTIONS = 200;
const REPS = quick ? 3 : 5;
const SECRETS = ['bench-secret-bench-secret-bench-secret-01'];
const SLUGS = [...TOPICS.map((t) => t.slug), 'other'];
const sels: Selection[] = [{ topics: null, cadence: 'daily' }, { topics: null, cadence: 'weekly' }];
for (let mask = 1; sels.length < SELECTIONS && mask < 256; mask++) sels.push({ topics: SLUGS.filter((_, i) => mask & (1 << i)), cadence: mask >= 128 ? 'weekly' : 'daily' });

const edition = seedEdition('2026-11-24', 100);
// Keywords readers would type: title words of the edition's papers (4+ letters), so most readers get picks.
const vocab = [...new Set(edition.papers.flatMap((ep) => ep.paper.title.toLowerCase().split(/[^a-z]+/)).filter((w) => w.length >= 5))].sort();
const marked = (i: number, n: number): MarkedPaper[] =>
  Array.from({ length: n }, (_, k) => {
    const p = edition.papers[(i * 31 + k * 17) % edition.papers.length]!.paper;
    return { id: `x-${p.id}`, title: p.title, abstract: p.abstract, via: 'marked' as const };
  });

/** Subscriber i, made on the fly (never a list of them all): selection, links, and for every tenth their interests. */
function subscriber(i: number) {
  const interested = i % 10 === 0;
  const kind = (i / 10) % 10;
  const interests: ReaderInterests | null = interested
    ? {
        keywords: [vocab[(i * 7) % vocab.length]!, vocab[(i * 13 + 5) % vocab.length]!, `${vocab[(i * 3) % vocab.length]} ${vocab[(i * 11) % vocab.length]}`],
        authors: [],
        liked: kind < 7 ? [] : marked(i, kind === 9 ? 5 : 3),
        disliked: kind === 9 ? marked(i + 1, 3) : [],
      }
    : null;
  return {
    i,
    selection: sels[(i * 7919) % sels.length]!,
    recipient: {
      email: `reader${i}@example.com`,
      unsubscribeUrl: `https://paperboy.example.org/unsubscribe?t=${i.toString(36)}.${'s'.repeat(43)}&x=1`,
      preferencesUrl: `https://paperboy.example.org/preferences?t=${i.toString(36)}.${'p'.repeat(43)}`,
    },
    interests,
  };
}

let rendered = new Map<string, RenderedDigest>();
/** The render bench's own first half: one MJML compile per selection (both sides do it: the issue's measure is the render bench's time). */
async function renderAll(): Promise<void> {
  rendered = new Map();
  for (const sel of sels) rendered.set(selectionKey(sel), await renderDigestHtml(buildDigest([edition], sel, TOPICS), CTX));
}

interface Pass {
  ms: number;
  /** CPU time of the pass (user + system): on a shared machine the fairer A/B, beside the wall-clock ratio. */
  cpuMs: number;
  bytes: number;
  picked: number;
  heap: number[];
}

/** One delivery's per-recipient work: the fill, and with `picks` the ranking and picks section for readers with interests. */
async function pass(picks: boolean): Promise<Pass> {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  await renderAll();
  let bytes = 0;
  let picked = 0;
  const heap: number[] = [];
  const pools = new Map<string, PickPool>();
  for (let i = 0; i < SUBSCRIBERS; i++) {
    const s = subscriber(i);
    const key = selectionKey(s.selection);
    let extra = {};
    if (picks && s.interests) {
      let pool = pools.get(s.selection.cadence);
      if (!pool) pools.set(s.selection.cadence, (pool = pickPool([edition], TOPICS)));
      const list = picksFor(pool, key, s.selection, s.interests);
      if (list.length > 0) {
        picked++;
        const urls = readerUrls('https://paperboy.example.org', SECRETS, { id: i + 1, publicId: (i + 1).toString(16).padStart(20, '0'), linkNonce: 'n'.repeat(32) }, '');
        const view = picksView(list, { prefsUrl: s.recipient.preferencesUrl, pageUrl: urls.page, feedback: urls.feedback, candidates: pool.candidates.get(key)!.length, basis: '3 keywords' });
        extra = { picksHtml: renderPicksHtml(view), picksText: renderPicksText(view) };
      }
    }
    const out = fillRecipient(rendered.get(key)!, { ...s.recipient, ...extra });
    bytes += Buffer.byteLength(out.html) + Buffer.byteLength(out.text);
    if (picks && (i + 1) % (SUBSCRIBERS / 4) === 0) {
      gc();
      heap.push(process.memoryUsage().heapUsed);
    }
  }
  const c = process.cpuUsage(c0);
  return { ms: performance.now() - t0, cpuMs: (c.user + c.system) / 1000, bytes, picked, heap };
}

await pass(true); // warm-up
const runs = await alternate(REPS, () => pass(true), () => pass(false));
const ms = median(runs.a.map((r) => r.ms));
const baselineMs = median(runs.b.map((r) => r.ms));
const ratio = ms / baselineMs;
const cpuRatio = median(runs.a.map((r) => r.cpuMs)) / median(runs.b.map((r) => r.cpuMs));
const a = runs.a[0]!;
const interested = Math.ceil(SUBSCRIBERS / 10);
check(a.picked > interested * 0.8, `${a.picked} of ${interested} readers with interests got picks`);
check(a.bytes > runs.b[0]!.bytes, 'the picks added no bytes');
// Memory after a quarter, half, three quarters and all of the readers: flat means the last is within 10% of the second.
const heapGrowth = a.heap.at(-1)! / a.heap[1]!;

console.log(`picks: ${fmt(SUBSCRIBERS)} subscribers (${fmt(interested)} with interests, ${fmt(a.picked)} got picks), ${SELECTIONS} selections, ${edition.papers.length}-paper edition`);
console.log(`  with picks median ${ms.toFixed(0)} ms; without median ${baselineMs.toFixed(0)} ms; ratio ${ratio.toFixed(2)}× (CPU time ${cpuRatio.toFixed(2)}×)`);
console.log(`  heap after each quarter of the readers: ${a.heap.map((h) => `${(h / 1e6).toFixed(1)} MB`).join(', ')} (last/half ${heapGrowth.toFixed(2)})`);
report({
  workload: 'picks',
  size: `${fmt(SUBSCRIBERS)} subscribers, 10% with interests`,
  ms,
  baselineMs,
  ratio,
  ratioOf: 'time',
  cpuRatio,
  reps: REPS,
  targets: [
    { target: '≤ 1.3× the render workload without picks', measured: `${ratio.toFixed(2)}× (median of ${REPS})`, pass: ratio <= 1.3 },
    { target: 'memory flat in subscribers: heap at the end ≤ 1.1× at half way', measured: `${heapGrowth.toFixed(2)}×`, pass: heapGrowth <= 1.1 },
  ],
});
