// `paperboy papers`: stored papers as JSON objects or a readable list.
import type { App } from '../app.ts';
import type { PaperExtra, TopicMatch } from '../domain.ts';
import { paperLinks, type PaperLink } from '../render/links.ts';
import { readable } from '../render/readable.ts';

export interface PaperListing {
  id: string;
  title: string;
  abstract: string;
  arxivId: string | null;
  authors: string[];
  upvotes: number | null;
  /** arXiv categories, primary first (from an arXiv listing or enrichment); empty when unknown. */
  categories: string[];
  /** The paper's links: arXiv abstract, PDF and Hugging Face when the arXiv id is known, else searches. */
  links: PaperLink[];
  /** When the listing says the paper was published (JSON and HTML listings), else null. */
  publishedAt: string | null;
  /** What newer listings add: AI keywords and summary, GitHub repo, project page. */
  extra: PaperExtra;
  /** The title with its LaTeX made readable (H$_2$O → H₂O), as emails and feeds show it. */
  readableTitle: string;
  firstSeen: string;
  seedFile: string;
  seedLine: number;
  editionId: string | null;
  /** Why the paper is in doubt (an abstract that may be cut off), until a later listing repairs it; else null. */
  doubt: string | null;
  /** Topic slugs, primary first (empty: "other"), by the current topics.yaml. */
  topics: string[];
  /** Matched keywords per topic, same order. */
  matches: TopicMatch[];
}

export function listPapers(app: App, o: { since?: string; limit?: number }): PaperListing[] {
  const classifier = app.classifier();
  return app.papers.list({ since: o.since ?? null, limit: o.limit }).map((p) => {
    const c = classifier.classify(p);
    return {
      id: p.id,
      title: p.title,
      abstract: p.abstract,
      arxivId: p.arxivId,
      authors: p.authors,
      upvotes: p.upvotes,
      categories: p.categories ?? [],
      links: [
        ...paperLinks(p).links,
        ...(p.extra.githubRepo ? [{ label: 'Code', url: p.extra.githubRepo }] : []),
        ...(p.extra.projectPage ? [{ label: 'Project page', url: p.extra.projectPage }] : []),
      ],
      publishedAt: p.publishedAt,
      extra: p.extra,
      readableTitle: readable(p.title),
      firstSeen: p.firstSeen,
      seedFile: p.seedFile,
      seedLine: p.line,
      editionId: p.editionId,
      doubt: p.doubt ?? null,
      topics: c.topics.map((t) => t.slug),
      matches: c.topics,
    };
  });
}

export function formatPapers(papers: PaperListing[]): string {
  if (papers.length === 0) return 'no papers stored yet (run `paperboy ingest`)';
  const lines = papers.map((p) => `${p.firstSeen.slice(0, 10)}  ${p.id.padEnd(19)}  ${p.title}`);
  lines.push(`${papers.length} papers`);
  return lines.join('\n');
}
