// Paper and seed-file rows: inserting with cross-format dedupe, and reading papers back as domain objects.
import type { ParsedPaper, Paper, ParseProblem, PaperExtra } from '../domain.ts';
import { arxivIdFromRef, titleId, titleKey } from '../paper-ids.ts';
import type { Db } from './db.ts';

interface PaperRow {
  id: string;
  arxiv_id: string | null;
  title: string;
  abstract: string;
  authors: string;
  upvotes: number | null;
  published_at: string | null;
  extra: string;
  /** JSON array, primary first; absent in rows selected by older queries. */
  categories?: string;
  first_seen: string;
  seed_path: string;
  seed_line: number;
  edition_id: string | null;
  /** Absent in rows selected by queries that do not ask for it. */
  doubt?: string | null;
  listed_at?: string | null;
}

const SELECT = `SELECT p.id, p.arxiv_id, p.title, p.abstract, p.authors, p.upvotes, p.published_at, p.extra, p.categories,
  p.first_seen, s.path AS seed_path, p.seed_line, p.edition_id, p.doubt, p.listed_at FROM papers p JOIN seed_files s ON s.id = p.seed_file_id`;

export function rowToPaper(r: PaperRow): Paper {
  return {
    id: r.id,
    arxivId: r.arxiv_id,
    title: r.title,
    abstract: r.abstract,
    authors: JSON.parse(r.authors) as string[],
    upvotes: r.upvotes,
    publishedAt: r.published_at,
    extra: JSON.parse(r.extra) as PaperExtra,
    categories: r.categories ? (JSON.parse(r.categories) as string[]) : [],
    firstSeen: r.first_seen,
    seedFile: r.seed_path,
    line: r.seed_line,
    editionId: r.edition_id,
    doubt: r.doubt ?? null,
    listedAt: r.listed_at ?? null,
  };
}

export interface SeedFileRecord {
  path: string;
  sha256: string;
  size: number;
  format: string | null;
  status: 'ingested' | 'rejected';
  /** Why the file was rejected; for an ingested one, how bytes that were not valid text were read (else null). */
  reason: string | null;
  papersParsed: number;
  papersNew: number;
  problems: ParseProblem[];
  ingestedAt: string;
}

export interface IngestCounts {
  parsed: number;
  new: number;
  duplicate: number;
}

export function papersRepo(db: Db) {
  const byArxiv = db.prepare<[string], { id: string; arxiv_id: string | null; authors: string }>(
    'SELECT id, arxiv_id, authors FROM papers WHERE arxiv_id = ?',
  );
  const byKey = db.prepare<[string], { id: string; arxiv_id: string | null; authors: string }>(
    'SELECT id, arxiv_id, authors FROM papers WHERE title_key = ?',
  );
  const insertPaper = db.prepare(
    `INSERT INTO papers (id, title_key, arxiv_id, title, abstract, authors, upvotes, published_at, extra, categories, first_seen, seed_file_id, seed_line, doubt)
     VALUES (@id, @titleKey, @arxivId, @title, @abstract, @authors, @upvotes, @publishedAt, @extra, @categories, @firstSeen, @seedFileId, @line, @doubt)`,
  );
  // A richer listing (JSON after a text dump) fills what the first one lacked; the id never changes.
  const enrich = db.prepare(
    `UPDATE papers SET arxiv_id = COALESCE(arxiv_id, @arxivId),
       authors = CASE WHEN authors = '[]' THEN @authors ELSE authors END,
       upvotes = COALESCE(@upvotes, upvotes), published_at = COALESCE(published_at, @publishedAt),
       extra = json_patch(extra, @extra),
       -- Categories come from arXiv (a listing or enrichment): the newest non-empty list is the author's current choice.
       categories = CASE WHEN @categories = '[]' THEN categories ELSE @categories END,
       -- An abstract cut short (a dump saved mid-paragraph) is repaired by a later listing that has all of it.
       abstract = CASE WHEN length(@abstract) > length(abstract) AND substr(@abstract, 1, length(abstract)) = abstract
         THEN @abstract ELSE abstract END,
       -- A doubt (a cut abstract?) ends when a listing without doubt has the same abstract or a longer one
       -- that starts with it (SET reads the old row, so this sees the abstract before the repair above).
       doubt = CASE WHEN @doubt IS NULL AND length(@abstract) >= length(abstract) AND substr(@abstract, 1, length(abstract)) = abstract
         THEN NULL ELSE doubt END
     WHERE id = @id`,
  );
  // arXiv's record (enrichment) fills what listings lacked; the id and guid never change, the arXiv id is only claimed
  // when no other paper holds it, and the longer author list wins (a listing may have cut it).
  const fromArxiv = db.prepare(
    `UPDATE papers SET arxiv_id = COALESCE(arxiv_id, @arxivId),
       categories = CASE WHEN @categories = '[]' THEN categories ELSE @categories END,
       authors = CASE WHEN json_array_length(@authors) > json_array_length(authors) THEN @authors ELSE authors END,
       published_at = COALESCE(published_at, @publishedAt),
       extra = json_patch(extra, @extra),
       abstract = CASE WHEN length(@abstract) > length(abstract) AND substr(@abstract, 1, length(abstract)) = abstract
         THEN @abstract ELSE abstract END,
       -- arXiv's own abstract, equal to or longer than the stored one, ends a doubt (was it cut off?).
       doubt = CASE WHEN length(@abstract) >= length(abstract) AND substr(@abstract, 1, length(abstract)) = abstract
         THEN NULL ELSE doubt END
     WHERE id = @id`,
  );
  const insertSeed = db.prepare(
    `INSERT INTO seed_files (path, sha256, size, format, status, reason, papers_parsed, papers_new, problems, ingested_at)
     VALUES (@path, @sha256, @size, @format, @status, @reason, @papersParsed, @papersNew, @problems, @ingestedAt)`,
  );
  const setSeedCounts = db.prepare('UPDATE seed_files SET papers_parsed = ?, papers_new = ?, problems = ? WHERE id = ?');
  const seedByHash = db.prepare<[string], { id: number }>('SELECT id FROM seed_files WHERE sha256 = ?');

  return {
    knownHash: (sha256: string): boolean => seedByHash.get(sha256) !== undefined,

    /** Forgets every rejected seed file, so the next ingest tries them again (after an upgrade, say). */
    forgetRejected: (): number => db.prepare("DELETE FROM seed_files WHERE status = 'rejected'").run().changes,

    /** Records a rejected seed file (its hash, so the same bytes are not retried every run). */
    recordRejected(rec: Omit<SeedFileRecord, 'status' | 'papersNew'>): void {
      insertSeed.run({ ...rec, status: 'rejected', papersNew: 0, problems: JSON.stringify(rec.problems) });
    },

    /**
     * Stores a seed file and its papers in one transaction: a crash leaves either the whole file or none
     * of it, and the file is ingested whole on the next run. Papers may be a stream (consumed here, so a big
     * file never sits in memory as objects); `check` runs on the count before commit and may throw to roll
     * the whole file back.
     */
    ingestFile: db.transaction(
      (
        rec: Omit<SeedFileRecord, 'status' | 'papersNew' | 'papersParsed'>,
        papers: Iterable<ParsedPaper>,
        check: (parsed: number) => void = () => {},
      ): IngestCounts => {
        const seedFileId = Number(
          insertSeed.run({ ...rec, status: 'ingested', reason: rec.reason ?? null, papersParsed: 0, papersNew: 0, problems: '[]' }).lastInsertRowid,
        );
        let parsed = 0;
        let fresh = 0;
        for (const p of papers) {
          parsed++;
          const key = titleKey(p.title);
          const existing = (p.arxivId ? byArxiv.get(p.arxivId) : undefined) ?? byKey.get(key);
          const authors = JSON.stringify(p.authors);
          if (existing) {
            // Only claim the arXiv id if no other paper holds it (two titles, one id: keep the first).
            const arxivId = p.arxivId && !existing.arxiv_id && !byArxiv.get(p.arxivId) ? p.arxivId : null;
            enrich.run({ id: existing.id, arxivId, authors, upvotes: p.upvotes, publishedAt: p.publishedAt, extra: JSON.stringify(p.extra), categories: JSON.stringify(p.categories ?? []), abstract: p.abstract, doubt: p.doubt ?? null });
            continue;
          }
          insertPaper.run({
            id: p.arxivId ?? titleId(key),
            titleKey: key,
            arxivId: p.arxivId,
            title: p.title,
            abstract: p.abstract,
            authors,
            upvotes: p.upvotes,
            publishedAt: p.publishedAt,
            extra: JSON.stringify(p.extra),
            categories: JSON.stringify(p.categories ?? []),
            firstSeen: rec.ingestedAt,
            seedFileId,
            line: p.line,
            doubt: p.doubt ?? null,
          });
          fresh++;
        }
        check(parsed);
        setSeedCounts.run(parsed, fresh, JSON.stringify(rec.problems), seedFileId);
        return { parsed, new: fresh, duplicate: parsed - fresh };
      },
    ),

    /**
     * Applies arXiv's metadata to a stored paper (enrichment). Returns false when the arXiv id belongs to another
     * stored paper already (the same paper seen twice under two titles): nothing is changed then.
     */
    applyArxiv(id: string, p: Pick<ParsedPaper, 'arxivId' | 'authors' | 'publishedAt' | 'extra' | 'abstract'> & { categories: string[] }): boolean {
      const holder = p.arxivId ? byArxiv.get(p.arxivId) : undefined;
      if (holder && holder.id !== id) return false;
      fromArxiv.run({
        id,
        arxivId: p.arxivId,
        categories: JSON.stringify(p.categories),
        authors: JSON.stringify(p.authors),
        publishedAt: p.publishedAt,
        extra: JSON.stringify(p.extra),
        abstract: p.abstract,
      });
      return true;
    },

    /** Papers first seen at or after `since` (ISO), newest first; all when since is null. */
    list(opts: { since?: string | null; limit?: number } = {}): Paper[] {
      const rows = db
        .prepare<unknown[], PaperRow>(`${SELECT} WHERE p.first_seen >= ? ORDER BY p.first_seen DESC, p.rowid ASC LIMIT ?`)
        .all(opts.since ?? '', opts.limit ?? -1);
      return rows.map(rowToPaper);
    },

    /** Sets when papers first reached the feeds; a paper that has a time keeps it (listing times never move). */
    setListedAt: db.transaction((times: readonly { id: string; at: string }[]): void => {
      const set = db.prepare('UPDATE papers SET listed_at = ? WHERE id = ? AND listed_at IS NULL');
      for (const t of times) set.run(t.at, t.id);
    }),

    /** Papers not yet in any edition, in the order they were stored. */
    unpublished(): Paper[] {
      return db.prepare<[], PaperRow>(`${SELECT} WHERE p.edition_id IS NULL ORDER BY p.rowid`).all().map(rowToPaper);
    },

    byEdition(editionId: string): Paper[] {
      return db.prepare<[string], PaperRow>(`${SELECT} WHERE p.edition_id = ? ORDER BY p.rowid`).all(editionId).map(rowToPaper);
    },

    /** By id, arXiv id (also as arXiv:2410.17243v2 or an arxiv.org / hf.co link), or whole title. */
    find(query: string): Paper | null {
      const q = arxivIdFromRef(query) ?? query.trim();
      const row =
        db.prepare<[string, string], PaperRow>(`${SELECT} WHERE p.id = ? OR p.arxiv_id = ?`).get(q, q) ??
        db.prepare<[string], PaperRow>(`${SELECT} WHERE p.title_key = ?`).get(titleKey(q));
      return row ? rowToPaper(row) : null;
    },

    /** Papers whose title contains `query` (case-insensitive, LIKE wildcards taken literally), newest first. */
    titled(query: string, limit: number): Paper[] {
      const pattern = `%${query.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      return db
        .prepare<[string, number], PaperRow>(`${SELECT} WHERE p.title LIKE ? ESCAPE '\\' ORDER BY p.first_seen DESC, p.id LIMIT ?`)
        .all(pattern, limit)
        .map(rowToPaper);
    },

    count: (): number => (db.prepare('SELECT count(*) AS n FROM papers').get() as { n: number }).n,

    seedFiles(): SeedFileRecord[] {
      return (db.prepare('SELECT * FROM seed_files ORDER BY id').all() as Record<string, unknown>[]).map((r) => ({
        path: r.path as string,
        sha256: r.sha256 as string,
        size: r.size as number,
        format: r.format as string | null,
        status: r.status as 'ingested' | 'rejected',
        reason: r.reason as string | null,
        papersParsed: r.papers_parsed as number,
        papersNew: r.papers_new as number,
        problems: JSON.parse(r.problems as string) as ParseProblem[],
        ingestedAt: r.ingested_at as string,
      }));
    },
  };
}

export type PapersRepo = ReturnType<typeof papersRepo>;
