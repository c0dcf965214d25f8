// The run's site step: gives new papers their feed times, renders feeds and archive pages from the store, writes what changed.
// Rendering is most of a run that finds nothing new, so it is skipped when nothing it reads has changed.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { App } from '../app.ts';
import { codePrint, templatesPrint } from '../code-print.ts';
import { writeWhole } from '../whole-file.ts';
import type { Edition, EditionPaper } from '../domain.ts';
import { byReaderInterest } from '../reader-order.ts';
import { listingTimes, type ListingTime } from '../edition/listing-times.ts';
import type { SiteInput } from '../render/site-input.ts';

export interface SiteReport {
  dir: string;
  written: string[];
  unchanged: number;
  /** Feeds left as they were because the new version would have been empty. */
  kept: string[];
}

/** Papers no edition holds yet (their date's edition already went out), classified now, in reader order. */
function pendingPapers(app: App): EditionPaper[] {
  const waiting = app.papers.unpublished();
  if (waiting.length === 0) return [];
  const classifier = app.classifier();
  return waiting.map((paper) => ({ paper, classification: classifier.classify(paper) })).sort(byReaderInterest);
}

/**
 * Stores a feed time for every paper that has none (edition/listing-times.ts) and sets it on the papers given,
 * oldest edition first, then the papers waiting for the next one. An edition none of whose papers has one yet
 * (just built, or from before feed times were kept) is dated from when it was built; papers joining an
 * edition later, or waiting for the next one, from now.
 */
function stampListingTimes(app: App, editions: Edition[], pending: EditionPaper[]): void {
  const now = app.now();
  const groups: { papers: EditionPaper[]; base: Date }[] = [...editions].reverse().map((e) => ({
    papers: e.papers,
    base: e.papers.some((ep) => ep.paper.listedAt) ? now : new Date(e.createdAt),
  }));
  groups.push({ papers: pending, base: now });
  let after: string | null = null;
  for (const g of groups) for (const ep of g.papers) if (ep.paper.listedAt && (after === null || ep.paper.listedAt > after)) after = ep.paper.listedAt;
  const times: ListingTime[] = [];
  for (const g of groups) {
    const batch = listingTimes(g.papers.map((ep) => ep.paper), g.base, after);
    const at = new Map(batch.map((t) => [t.id, t.at]));
    for (const ep of g.papers) if (!ep.paper.listedAt && at.has(ep.paper.id)) ep.paper.listedAt = at.get(ep.paper.id)!;
    if (batch.length) after = batch[0]!.at > (after ?? '') ? batch[0]!.at : after;
    times.push(...batch);
  }
  if (times.length) app.papers.setListedAt(times);
}

/** What the last render wrote, and from what: `<data>/site.stamp`, beside the site folder so it is never served. */
interface SiteStamp {
  fingerprint: string;
  files: string[];
  kept: string[];
}

/** Everything the rendered site depends on; null when topics.yaml cannot be read (rendering then reports why). */
function fingerprint(app: App, data: Omit<SiteInput, 'topics'>): string | null {
  let topicsFile: Buffer;
  try {
    topicsFile = readFileSync(app.config.topicsPath);
  } catch {
    return null;
  }
  const hash = createHash('sha256');
  hash.update(JSON.stringify(data));
  hash.update(topicsFile);
  hash.update(codePrint()).update(templatesPrint('web'));
  return hash.digest('hex');
}

function readStamp(path: string): SiteStamp | null {
  try {
    const s = JSON.parse(readFileSync(path, 'utf8')) as Partial<SiteStamp>;
    return typeof s.fingerprint === 'string' && Array.isArray(s.files) && Array.isArray(s.kept) ? (s as SiteStamp) : null;
  } catch {
    return null; // none yet, or unreadable: render
  }
}

export async function publishSite(app: App): Promise<SiteReport> {
  const dir = app.config.siteDir;
  const stampPath = `${dir}.stamp`;
  // The input but the compiled topics, which stand in the fingerprint as topics.yaml's bytes: a field added
  // here is fingerprinted with the rest.
  const editions = app.editions.published();
  const pending = pendingPapers(app);
  // Feed times first: they are part of what is rendered (and set once, so a run with nothing new writes none).
  stampListingTimes(app, editions, pending);
  const data: Omit<SiteInput, 'topics'> = { editions, pending, baseUrl: app.config.baseUrl, feedEditions: app.config.feedEditions };
  const print = fingerprint(app, data);
  const last = readStamp(stampPath);
  // Same inputs and every file still there: rendering again would give the same bytes, so nothing to write.
  if (print !== null && last?.fingerprint === print && last.files.every((f) => existsSync(join(dir, f)))) {
    return { dir, written: [], unchanged: last.files.length - last.kept.length, kept: last.kept };
  }
  const input: SiteInput = { ...data, topics: app.topics().topics };
  // The renderers (Handlebars, rss) load only when there is something to render.
  const [{ renderFeeds }, { renderSite }, { writeSite }] = await Promise.all([import('../render/feeds.ts'), import('../render/site.ts'), import('../render/site-writer.ts')]);
  const files = new Map([...renderFeeds(input), ...renderSite(input)]);
  const result = writeSite(dir, files);
  const kept = result.kept ?? [];
  if (print !== null) {
    const stamp: SiteStamp = { fingerprint: print, files: [...files.keys()].sort(), kept };
    writeWhole(stampPath, JSON.stringify(stamp));
  }
  return { dir, written: result.written, unchanged: result.unchanged.length, kept };
}
