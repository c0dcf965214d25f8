// Bench: 100,000 subscribers (--quick 10,000) over 200 selections on a ~100-paper edition vs 200 bare MJML compiles + bare Handlebars fills.
import Handlebars from 'handlebars';
import mjml2html from 'mjml';
import type { Selection } from '../src/domain.ts';
import { buildDigest, selectionKey } from '../src/edition/digest.ts';
import { digestMjml, dropIndentation, fillRecipient, MJML_OPTIONS, renderDigestHtml, type RenderedDigest } from '../src/render/email.ts';
import { CTX, TOPICS, seedEdition } from '../test/render/factory.ts';
import { alternate, check, fmt, median, quick, report } from './lib.ts';

const SUBSCRIBERS = Number(process.env.BENCH_SUBSCRIBERS ?? (quick ? 10_000 : 100_000));
const SELECTIONS = 200;
const REPS = quick ? 3 : 5;
// The options paperboy's compileMjml passes, so both sides compile the same way.
// Six topics plus "other" give 2^7 topic subsets × 2 cadences: plenty for 200 distinct selections.
const SLUGS = [...TOPICS.map((t) => t.slug), 'other'];
const sels: Selection[] = [{ topics: null, cadence: 'daily' }, { topics: null, cadence: 'weekly' }];
for (let mask = 1; sels.length < SELECTIONS && mask < 256; mask++) sels.push({ topics: SLUGS.filter((_, i) => mask & (1 << i)), cadence: mask >= 128 ? 'weekly' : 'daily' });

const edition = seedEdition('2026-11-24', 100);
const subscribers = Array.from({ length: SUBSCRIBERS }, (_, i) => ({
  selection: sels[(i * 7919) % sels.length]!,
  recipient: {
    email: `reader${i}@example.com`,
    unsubscribeUrl: `https://paperboy.example.org/unsubscribe?t=${i.toString(36)}.${'s'.repeat(43)}&x=1`,
    preferencesUrl: `https://paperboy.example.org/preferences?t=${i.toString(36)}.${'p'.repeat(43)}`,
  },
}));

// paperboy: group by selection, one render per group, string fills per subscriber; bytes forced out of every fill.
async function ours() {
  const t0 = performance.now();
  const groups = new Map<string, typeof subscribers>();
  for (const s of subscribers) {
    const key = selectionKey(s.selection);
    const g = groups.get(key);
    if (g) g.push(s);
    else groups.set(key, [s]);
  }
  const rendered = new Map<string, RenderedDigest>();
  for (const [key, members] of groups) rendered.set(key, await renderDigestHtml(buildDigest([edition], members[0]!.selection, TOPICS), CTX));
  const f0 = performance.now();
  let bytes = 0;
  for (const [key, members] of groups) {
    const r = rendered.get(key)!;
    for (const s of members) {
      const out = fillRecipient(r, s.recipient);
      bytes += Buffer.byteLength(out.html) + Buffer.byteLength(out.text);
    }
  }
  const end = performance.now();
  return { ms: end - t0, renderMs: f0 - t0, fillMs: end - f0, bytes, rendered };
}

// The bare side's inputs, made once outside the timings: each selection's MJML and its text part (with tokens).
const first = await ours(); // also the warm-up of paperboy's path
const groups = new Map<string, typeof subscribers>();
for (const s of subscribers) groups.set(selectionKey(s.selection), [...(groups.get(selectionKey(s.selection)) ?? []), s]);
const toHbs = (s: string, open: string, close: string) => s.replace(/%%PB_UNSUBSCRIBE%%/g, `${open}unsubscribeUrl${close}`).replace(/%%PB_PREFERENCES%%/g, `${open}preferencesUrl${close}`).replace(/%%PB_EMAIL%%/g, `${open}email${close}`);
const inputs = [...groups].map(([key, members]) => ({
  key,
  members,
  mjml: digestMjml(buildDigest([edition], members[0]!.selection, TOPICS), CTX),
  text: toHbs(fillRecipient(first.rendered.get(key)!, { unsubscribeUrl: '%%PB_UNSUBSCRIBE%%', preferencesUrl: '%%PB_PREFERENCES%%', email: '%%PB_EMAIL%%' }).text, '{{{', '}}}'),
}));

// Bare: per selection one mjml2html and Handlebars compiles of its HTML and text; per subscriber one fill of each.
async function bare() {
  const t0 = performance.now();
  const templates = [];
  for (const g of inputs) {
    // Indentation dropped as paperboy's compileMjml does, so both sides fill the same bytes.
    const html = dropIndentation((await mjml2html(g.mjml, MJML_OPTIONS)).html);
    templates.push({ html: Handlebars.compile(toHbs(html, '{{', '}}')), text: Handlebars.compile(g.text), members: g.members });
  }
  const f0 = performance.now();
  let bytes = 0;
  for (const t of templates) for (const s of t.members) bytes += Buffer.byteLength(t.html(s.recipient)) + Buffer.byteLength(t.text(s.recipient));
  const end = performance.now();
  return { ms: end - t0, mjmlMs: f0 - t0, fillMs: end - f0, bytes, templates };
}
await bare(); // warm-up

const runs = await alternate(REPS, ours, bare);
const ms = median(runs.a.map((r) => r.ms));
const baselineMs = median(runs.b.map((r) => r.ms));
const ratio = ms / baselineMs;

// Self-checks: every selection rendered; for a sample of recipients paperboy's HTML matches the bare output
// (same size within 2%, same links, tables and images) and carries their own links.
const o = runs.a[0]!;
const b = runs.b[0]!;
check(o.rendered.size === SELECTIONS && b.templates.length === SELECTIONS, `${o.rendered.size} selections rendered, expected ${SELECTIONS}`);
check(o.bytes > 0 && Math.abs(o.bytes - b.bytes) / b.bytes < 0.1, `filled ${o.bytes} bytes vs bare ${b.bytes}`);
const count = (s: string, re: RegExp) => s.match(re)?.length ?? 0;
const esc = (s: string) => s.replace(/&/g, '&amp;');
for (let i = 0; i < 40; i++) {
  const s = subscribers[(i * 2477) % SUBSCRIBERS]!;
  const ti = inputs.findIndex((g) => g.key === selectionKey(s.selection));
  const mine = fillRecipient(o.rendered.get(selectionKey(s.selection))!, s.recipient);
  const theirs = b.templates[ti]!.html(s.recipient);
  check(Math.abs(mine.html.length - theirs.length) / theirs.length < 0.02, `recipient ${s.recipient.email}: ${mine.html.length} bytes vs bare ${theirs.length}`);
  for (const re of [/<a\s/g, /<table/g, /<img/g]) check(count(mine.html, re) === count(theirs, re), `recipient ${s.recipient.email}: ${re} count differs from bare`);
  for (const v of [s.recipient.unsubscribeUrl, s.recipient.preferencesUrl]) check(mine.html.includes(esc(v)) && mine.text.includes(v), `recipient ${s.recipient.email}: own link missing`);
  check(!mine.html.includes('%%PB_') && !mine.text.includes('%%PB_'), 'placeholder left in output');
}

const sizes = [...o.rendered.values()].map((r) => r.htmlBytes);
const list = (xs: number[]) => xs.map((x) => x.toFixed(0)).join('/');
console.log(`render: ${fmt(SUBSCRIBERS)} subscribers, ${SELECTIONS} selections, ${edition.papers.length}-paper edition; HTML ${(Math.min(...sizes) / 1024).toFixed(1)}–${(Math.max(...sizes) / 1024).toFixed(1)} KiB; ${(o.bytes / 1e6).toFixed(0)} MB filled (bare ${(b.bytes / 1e6).toFixed(0)} MB)`);
console.log(`  paperboy median ${ms.toFixed(0)} ms (${list(runs.a.map((r) => r.ms))}): render ${median(runs.a.map((r) => r.renderMs)).toFixed(0)} ms, fill ${median(runs.a.map((r) => r.fillMs)).toFixed(0)} ms`);
console.log(`  bare     median ${baselineMs.toFixed(0)} ms (${list(runs.b.map((r) => r.ms))}): mjml2html ${median(runs.b.map((r) => r.mjmlMs)).toFixed(0)} ms, Handlebars fill ${median(runs.b.map((r) => r.fillMs)).toFixed(0)} ms`);
console.log(`  ratio ${ratio.toFixed(2)}× (per-pair ratios ${runs.a.map((r, i) => (r.ms / runs.b[i]!.ms).toFixed(2)).join(' ')})`);
report({
  workload: 'render',
  size: `${fmt(SUBSCRIBERS)} subscribers, ${SELECTIONS} selections`,
  ms,
  baselineMs,
  ratio,
  ratioOf: 'time',
  reps: REPS,
  renderMs: median(runs.a.map((r) => r.renderMs)),
  fillMs: median(runs.a.map((r) => r.fillMs)),
  bareMjmlMs: median(runs.b.map((r) => r.mjmlMs)),
  bareFillMs: median(runs.b.map((r) => r.fillMs)),
  targets: [{ target: '≤ 1.2× bare MJML + Handlebars', measured: `${ratio.toFixed(2)}× (median of ${REPS})`, pass: ratio <= 1.2 }],
});
