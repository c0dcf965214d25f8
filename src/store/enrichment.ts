// The arXiv enrichment cache: which papers were looked up, what matched, and misses to retry after some days.
import type { Paper } from '../domain.ts';
import type { Db } from './db.ts';
import { rowToPaper } from './papers.ts';

export function enrichmentRepo(db: Db) {
  const record = db.prepare(
    `INSERT INTO enrichment (paper_id, status, arxiv_id, checked_at) VALUES (?, ?, ?, ?)
     ON CONFLICT(paper_id) DO UPDATE SET status = excluded.status, arxiv_id = excluded.arxiv_id, checked_at = excluded.checked_at`,
  );
  return {
    /**
     * Papers enrichment should look at: never looked up, or missed before `retryBefore` (ISO). Papers with an
     * arXiv id first (cheap: batched), newest first within each group.
     */
    pending(retryBefore: string, limit: number): Paper[] {
      return db
        .prepare<[string, number], Parameters<typeof rowToPaper>[0]>(
          `SELECT p.id, p.arxiv_id, p.title, p.abstract, p.authors, p.upvotes, p.published_at, p.extra, p.categories,
                  p.first_seen, s.path AS seed_path, p.seed_line, p.edition_id
           FROM papers p JOIN seed_files s ON s.id = p.seed_file_id LEFT JOIN enrichment e ON e.paper_id = p.id
           WHERE e.paper_id IS NULL OR (e.status = 'missing' AND e.checked_at < ?)
           ORDER BY p.arxiv_id IS NULL, p.first_seen DESC, p.rowid LIMIT ?`,
        )
        .all(retryBefore, limit)
        .map(rowToPaper);
    },
    found: (paperId: string, arxivId: string, now: Date) => void record.run(paperId, 'found', arxivId, now.toISOString()),
    missing: (paperId: string, now: Date) => void record.run(paperId, 'missing', null, now.toISOString()),
    counts(): { found: number; missing: number } {
      const rows = db.prepare<[], { status: string; n: number }>('SELECT status, count(*) AS n FROM enrichment GROUP BY status').all();
      return { found: rows.find((r) => r.status === 'found')?.n ?? 0, missing: rows.find((r) => r.status === 'missing')?.n ?? 0 };
    },
  };
}

export type EnrichmentRepo = ReturnType<typeof enrichmentRepo>;
