// The order readers see an edition's papers in: shared by edition building, digests and the store that reads editions back.
import type { EditionPaper } from './domain.ts';

/** How strongly a paper matched `slug` (its primary topic when none is given); unclassified papers score 0. */
function topicScore(ep: EditionPaper, slug?: string): number {
  const { topics } = ep.classification;
  return (slug === undefined ? topics[0] : topics.find((t) => t.slug === slug))?.score ?? 0;
}

const codePointOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The order readers see: upvotes when known (known before unknown), then the topic score (a paper that is
 * squarely about the topic before one that mentions it), then listing order (seed file, line: the listing
 * itself is ranked), title last. Text dumps carry no upvotes, so without the score and listing order the
 * "top papers" would be the alphabetically first ones.
 * `slug` scores papers by that topic (a digest section), else by their primary topic.
 */
export function readerOrder(slug?: string): (a: EditionPaper, b: EditionPaper) => number {
  return (a, b) => {
    const ua = a.paper.upvotes ?? -1;
    const ub = b.paper.upvotes ?? -1;
    if (ua !== ub) return ub - ua;
    const sa = topicScore(a, slug);
    const sb = topicScore(b, slug);
    if (sa !== sb) return sb - sa;
    return (
      codePointOrder(a.paper.seedFile, b.paper.seedFile) ||
      a.paper.line - b.paper.line ||
      a.paper.title.localeCompare(b.paper.title, 'en') ||
      codePointOrder(a.paper.id, b.paper.id)
    );
  };
}

/** An edition's order (by primary-topic score); the store and the landing page's top list use it too. */
export const byReaderInterest = readerOrder();
