// Bench: N subscribers (default 100,000) over S selections (default 200) on a ~100-paper edition, against bare MJML + Handlebars.
import Handlebars from 'handlebars';
import mjml2html from 'mjml';
import type { Selection } from '../src/domain.ts';
import { buildDigest, selectionKey } from '../src/edition/digest.ts';
import { compileMjml, digestMjml, fillRecipient, renderDigestHtml, type RenderedDigest } from '../src/render/email.ts';
import { CTX, TOPICS, seedEdition } from '../test/render/factory.ts';

const SUBSCRIBERS = Number(process.env.BENCH_SUBSCRIBERS ?? 100_000);
const SELECTIONS = Number(process.env.BENCH_SELECTIONS ?? 200);
// Six topics plus "other" give 2^7 × 2 cadences = 256 possible selections.
const SLUGS = [...TOPICS.map((t) => t.slug), 'other'];

/** 50 distinct selections: topic subsets (by bitmask) and both cadences, plus "all topics". */
function selections(): Selection[] {
  const out: Selection[] = [{ topics: null, cadence: 'daily' }, { topics: null, cadence: 'weekly' }];
  for (let mask = 1; out.length < SELECTIONS && mask < 256; mask++) {
    const topics = SLUGS.filter((_, i) => mask & (1 << (i % SLUGS.length)));
    out.push({ topics, cadence: mask >= 128 ? 'weekly' : 'daily' });
  }
  return out;
}

const ms = (n: number) => `${n.toFixed(0).padStart(6)} ms`;
const edition = seedEdition('2026-11-24', 100);
const sels = selections();
const subscribers = Array.from({ length: SUBSCRIBERS }, (_, i) => ({
  id: i,
  selection: sels[(i * 7919) % sels.length]!,
  recipient: {
    email: `reader${i}@example.com`,
    unsubscribeUrl: `https://paperboy.example.org/unsubscribe?t=${i.toString(36)}.${'s'.repeat(43)}`,
    preferencesUrl: `https://paperboy.example.org/preferences?t=${i.toString(36)}.${'p'.repeat(43)}`,
  },
}));

// Warm up both paths once (template loading, JIT) so neither side pays it in the timings.
await renderDigestHtml(buildDigest([edition], sels[0]!, TOPICS), CTX);
await mjml2html(digestMjml(buildDigest([edition], sels[0]!, TOPICS), CTX), { validationLevel: 'strict', fonts: {} });

// paperboy: group by selection, one render per group, string fills per subscriber.
const t0 = performance.now();
const groups = new Map<string, typeof subscribers>();
for (const s of subscribers) {
  const key = selectionKey(s.selection);
  const group = groups.get(key);
  if (group) group.push(s);
  else groups.set(key, [s]);
}
const rendered = new Map<string, RenderedDigest>();
let renderMs = 0;
for (const [key, members] of groups) {
  const r0 = performance.now();
  rendered.set(key, await renderDigestHtml(buildDigest([edition], members[0]!.selection, TOPICS), CTX));
  renderMs += performance.now() - r0;
}
const f0 = performance.now();
let bytes = 0;
for (const [key, members] of groups) {
  const r = rendered.get(key)!;
  for (const s of members) {
    const out = fillRecipient(r, s.recipient);
    bytes += out.html.length + out.text.length;
  }
}
const fillMs = performance.now() - f0;
const totalMs = performance.now() - t0;

// Baseline: the bare tools doing the irreducible work — 50 MJML compiles of the same MJML, 10,000 Handlebars fills.
const sources = [...groups.values()].map((m) => digestMjml(buildDigest([edition], m[0]!.selection, TOPICS), CTX));
const b0 = performance.now();
const htmls: string[] = [];
for (const src of sources) htmls.push((await mjml2html(src, { validationLevel: 'strict', fonts: {} })).html);
const bareMjmlMs = performance.now() - b0;
const bareTemplates = htmls.map((h) =>
  Handlebars.compile(h.replace(/%%PB_UNSUBSCRIBE%%/g, '{{unsubscribeUrl}}').replace(/%%PB_PREFERENCES%%/g, '{{preferencesUrl}}').replace(/%%PB_EMAIL%%/g, '{{email}}')),
);
const keys = [...groups.keys()];
const h0 = performance.now();
let bareBytes = 0;
for (const [key, members] of groups) {
  const tpl = bareTemplates[keys.indexOf(key)]!;
  for (const s of members) bareBytes += tpl(s.recipient).length;
}
const bareFillMs = performance.now() - h0;
const baselineMs = bareMjmlMs + bareFillMs;

// The MJML share of paperboy's render: the same sources through paperboy's own compile step.
const sources2 = [...groups.values()].map((m) => digestMjml(buildDigest([edition], m[0]!.selection, TOPICS), CTX));
const m0 = performance.now();
for (const src of sources2) await compileMjml(src);
const ourMjmlMs = performance.now() - m0;

const sizes = [...rendered.values()].map((r) => r.htmlBytes);
console.log(`paperboy email render bench: ${SUBSCRIBERS} subscribers, ${groups.size} selections, ${edition.papers.length}-paper edition`);
console.log(`  HTML per selection: ${(Math.min(...sizes) / 1024).toFixed(1)}–${(Math.max(...sizes) / 1024).toFixed(1)} KiB; ${(bytes / 1e6).toFixed(0)} MB of HTML+text filled (bare: ${(bareBytes / 1e6).toFixed(0)} MB HTML)`);
console.log(`  paperboy total             ${ms(totalMs)}`);
console.log(`    render (digest+view+Handlebars+MJML+text), ${groups.size}×  ${ms(renderMs)}  (${(renderMs / groups.size).toFixed(1)} ms each)`);
console.log(`      of which MJML (compileMjml on the same sources)  ${ms(ourMjmlMs)}`);
console.log(`    fill (HTML+text), ${SUBSCRIBERS}×   ${ms(fillMs)}  (${((fillMs / SUBSCRIBERS) * 1000).toFixed(1)} µs each)`);
console.log(`  baseline total             ${ms(baselineMs)}`);
console.log(`    bare mjml2html, ${sources.length}×       ${ms(bareMjmlMs)}`);
console.log(`    bare Handlebars fill, ${SUBSCRIBERS}× ${ms(bareFillMs)}`);
console.log(`  ratio paperboy / baseline: ${(totalMs / baselineMs).toFixed(2)}×`);
console.log(`  (a compile per subscriber would take ~${((bareMjmlMs / sources.length) * SUBSCRIBERS / 1000).toFixed(0)} s)`);

// Self-check: every selection rendered, every subscriber filled, no placeholder left behind.
if (rendered.size !== groups.size || bytes === 0) throw new Error('render bench: not every selection rendered');
for (const r of rendered.values()) if (fillRecipient(r, subscribers[0]!.recipient).html.includes('%%PB_')) throw new Error('render bench: placeholder left in output');
console.log(`RESULT ${JSON.stringify({ workload: 'render', subscribers: SUBSCRIBERS, selections: groups.size, ms: totalMs, baselineMs, ratio: totalMs / baselineMs, mjmlMs: ourMjmlMs, fillMs, target: 'ratio ≤ 1.2' })}`);
