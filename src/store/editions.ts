// Edition rows: saving an edition with its frozen classifications, and reading editions back whole.
import type { Classification, Edition, EditionStatus, TrendingKeyword } from '../domain.ts';
import { byReaderInterest } from '../reader-order.ts';
import type { Db } from './db.ts';
import { rowToPaper } from './papers.ts';

interface EditionRow {
  id: string;
  status: EditionStatus;
  reason: string | null;
  paper_count: number;
  trending: string;
  created_at: string;
}

export interface EditionSummary {
  id: string;
  status: EditionStatus;
  reason: string | null;
  paperCount: number;
  createdAt: string;
}

const summary = (r: EditionRow): EditionSummary => ({ id: r.id, status: r.status, reason: r.reason, paperCount: r.paper_count, createdAt: r.created_at });

export function editionsRepo(db: Db) {
  const getRow = db.prepare<[string], EditionRow>('SELECT * FROM editions WHERE id = ?');
  const upsert = db.prepare(
    `INSERT INTO editions (id, status, reason, paper_count, trending, created_at) VALUES (@id, @status, @reason, @paperCount, @trending, @createdAt)
     ON CONFLICT(id) DO UPDATE SET status = excluded.status, reason = excluded.reason, paper_count = excluded.paper_count, trending = excluded.trending`,
  );
  const linked = db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM edition_papers WHERE edition_id = ?');
  const link = db.prepare('INSERT INTO edition_papers (edition_id, paper_id, primary_topic, classification) VALUES (?, ?, ?, ?)');
  // Guarded by edition_id IS NULL: a paper can never move from one edition to another.
  const assign = db.prepare('UPDATE papers SET edition_id = ? WHERE id = ? AND edition_id IS NULL');
  const papersOf = db.prepare(
    `SELECT p.id, p.arxiv_id, p.title, p.abstract, p.authors, p.upvotes, p.published_at, p.extra, p.categories, p.first_seen,
            s.path AS seed_path, p.seed_line, p.edition_id, p.doubt, p.listed_at, ep.classification
     FROM edition_papers ep JOIN papers p ON p.id = ep.paper_id JOIN seed_files s ON s.id = p.seed_file_id
     WHERE ep.edition_id = ?`,
  );

  const load = (row: EditionRow): Edition => ({
    id: row.id,
    status: row.status,
    reason: row.reason,
    createdAt: row.created_at,
    trending: JSON.parse(row.trending) as TrendingKeyword[],
    papers: (papersOf.all(row.id) as (Parameters<typeof rowToPaper>[0] & { classification: string })[])
      .map((r) => ({ paper: rowToPaper(r), classification: JSON.parse(r.classification) as Classification }))
      .sort(byReaderInterest),
  });

  return {
    get(id: string): Edition | null {
      const row = getRow.get(id);
      return row ? load(row) : null;
    },

    summary(id: string): EditionSummary | null {
      const row = getRow.get(id);
      return row ? summary(row) : null;
    },

    /** Saves an edition and claims its papers, atomically. Papers already claimed elsewhere are left out. */
    save: db.transaction((edition: Edition): Edition => {
      const row = (status: EditionStatus, count: number) => ({
        id: edition.id,
        status,
        reason: status === 'empty' ? (edition.reason ?? 'nothing new in the seeds') : null,
        paperCount: count,
        trending: JSON.stringify(status === 'empty' ? [] : edition.trending),
        createdAt: edition.createdAt,
      });
      // The row first (papers reference it), then claim the papers, then the final status and count. An
      // edition that grows (papers arriving later the same day, before it was sent) keeps the papers it has.
      const had = linked.get(edition.id)!.n;
      upsert.run(row(had > 0 ? 'published' : 'empty', had));
      const claimed = edition.papers.filter((ep) => assign.run(edition.id, ep.paper.id).changes === 1);
      upsert.run(row(had + claimed.length > 0 ? 'published' : 'empty', had + claimed.length));
      for (const ep of claimed) link.run(edition.id, ep.paper.id, ep.classification.primary, JSON.stringify(ep.classification));
      return load(getRow.get(edition.id)!);
    }),

    /** Summaries of all editions, newest first. */
    list(): EditionSummary[] {
      return db.prepare<[], EditionRow>('SELECT * FROM editions ORDER BY id DESC').all().map(summary);
    },

    /** Published editions with their papers, newest first (for feeds and the archive). */
    published(limit = -1): Edition[] {
      return db.prepare<[number], EditionRow>("SELECT * FROM editions WHERE status = 'published' ORDER BY id DESC LIMIT ?").all(limit).map(load);
    },

    /** Published editions whose date lies in [from, to], oldest first (a weekly digest's week). */
    publishedBetween(from: string, to: string): Edition[] {
      return db
        .prepare<[string, string], EditionRow>("SELECT * FROM editions WHERE status = 'published' AND id >= ? AND id <= ? ORDER BY id")
        .all(from, to)
        .map(load);
    },
  };
}

export type EditionsRepo = ReturnType<typeof editionsRepo>;
