// When each paper first reached the feeds: distinct seconds in listing order, set once (pure; the site step stores them).
import type { Paper } from '../domain.ts';

export interface ListingTime {
  id: string;
  at: string;
}

/**
 * Times for the papers of one batch (an edition, or papers that joined it or wait for the next one) that have
 * none yet. `papers` come in listing order: the first gets the newest second and each next one a second less,
 * so a reader sorting by date shows them as listed. The batch is dated from `base` (when it was published),
 * but always after `after` (the newest time any paper has): times are distinct across the whole feed, and a
 * later batch is never dated before an earlier one. Whole seconds: RSS dates carry no more.
 */
export function listingTimes(papers: readonly Paper[], base: Date, after: string | null): ListingTime[] {
  const fresh = papers.filter((p) => !p.listedAt);
  if (fresh.length === 0) return [];
  const floor = Math.floor(base.getTime() / 1000) * 1000;
  const last = after === null ? Number.NaN : Date.parse(after);
  const top = Number.isNaN(last) ? floor : Math.max(floor, Math.floor(last / 1000) * 1000 + fresh.length * 1000);
  return fresh.map((p, i) => ({ id: p.id, at: new Date(top - i * 1000).toISOString() }));
}
