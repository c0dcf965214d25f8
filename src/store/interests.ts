// Reader interests, feedback and private-link nonces: the store side of "Picked for you" (migration 009).
import { randomBytes } from 'node:crypto';
import type { Db } from './db.ts';

export interface Interests {
  keywords: string[];
  /** Paper references as given: arXiv ids or paper ids. */
  follows: string[];
  authors: string[];
}

export interface StoredPaperText {
  id: string;
  arxivId: string | null;
  title: string;
  abstract: string;
  authors: string[];
}

export interface FeedbackSignal extends StoredPaperText {
  signal: 1 | -1;
  at: string;
}

const EMPTY: Interests = { keywords: [], follows: [], authors: [] };
const parse = (s: string) => JSON.parse(s) as string[];

export function interestsRepo(db: Db) {
  const get = db.prepare<[number], { keywords: string; follows: string; authors: string }>('SELECT keywords, follows, authors FROM reader_interests WHERE subscriber_id = ?');
  const put = db.prepare(
    `INSERT INTO reader_interests (subscriber_id, keywords, follows, authors, updated_at) VALUES (@id, @keywords, @follows, @authors, @at)
     ON CONFLICT(subscriber_id) DO UPDATE SET keywords = excluded.keywords, follows = excluded.follows, authors = excluded.authors, updated_at = excluded.updated_at`,
  );
  const delInterests = db.prepare('DELETE FROM reader_interests WHERE subscriber_id = ?');
  const feedback = db.prepare<[number], { paper_id: string; signal: 1 | -1; at: string; arxiv_id: string | null; title: string; abstract: string; authors: string }>(
    `SELECT f.paper_id, f.signal, f.at, p.arxiv_id, p.title, p.abstract, p.authors FROM reader_feedback f JOIN papers p ON p.id = f.paper_id
     WHERE f.subscriber_id = ? ORDER BY f.at DESC, f.paper_id LIMIT 200`,
  );
  const mark = db.prepare(
    `INSERT INTO reader_feedback (subscriber_id, paper_id, signal, at) VALUES (?, ?, ?, ?)
     ON CONFLICT(subscriber_id, paper_id) DO UPDATE SET signal = excluded.signal, at = excluded.at`,
  );
  const unmark = db.prepare('DELETE FROM reader_feedback WHERE subscriber_id = ? AND paper_id = ?');
  const clearFeedback = db.prepare('DELETE FROM reader_feedback WHERE subscriber_id = ?');
  const anyFeedback = db.prepare<[number], { n: number }>('SELECT 1 AS n FROM reader_feedback WHERE subscriber_id = ? LIMIT 1');
  const paper = db.prepare<[string, string], { id: string; arxiv_id: string | null; title: string; abstract: string; authors: string }>(
    'SELECT id, arxiv_id, title, abstract, authors FROM papers WHERE id = ? OR arxiv_id = ? LIMIT 1',
  );
  const nonce = db.prepare<[number], { nonce: string }>('SELECT nonce FROM reader_link_nonces WHERE subscriber_id = ?');
  const putNonce = db.prepare('INSERT INTO reader_link_nonces (subscriber_id, nonce) VALUES (?, ?) ON CONFLICT(subscriber_id) DO UPDATE SET nonce = excluded.nonce');
  const toText = (r: { id?: string; paper_id?: string; arxiv_id: string | null; title: string; abstract: string; authors: string }): StoredPaperText => ({
    id: (r.id ?? r.paper_id)!,
    arxivId: r.arxiv_id,
    title: r.title,
    abstract: r.abstract,
    authors: parse(r.authors),
  });

  return {
    get(subscriberId: number): Interests {
      const r = get.get(subscriberId);
      return r ? { keywords: parse(r.keywords), follows: parse(r.follows), authors: parse(r.authors) } : { ...EMPTY };
    },
    /** Replaces the interests; all three empty deletes the row. */
    set(subscriberId: number, i: Interests, at: string): void {
      if (i.keywords.length + i.follows.length + i.authors.length === 0) delInterests.run(subscriberId);
      else put.run({ id: subscriberId, keywords: JSON.stringify(i.keywords), follows: JSON.stringify(i.follows), authors: JSON.stringify(i.authors), at });
    },
    /** Whether ranking has anything to go on for this reader (one indexed read each: the send loop asks per recipient). */
    hasAny(subscriberId: number): boolean {
      return get.get(subscriberId) !== undefined || anyFeedback.get(subscriberId) !== undefined;
    },
    /** The newest 200 signals with the papers' text, newest first. */
    feedback(subscriberId: number): FeedbackSignal[] {
      return feedback.all(subscriberId).map((r) => ({ ...toText(r), signal: r.signal, at: r.at }));
    },
    mark(subscriberId: number, paperId: string, signal: 1 | -1, at: string): void {
      mark.run(subscriberId, paperId, signal, at);
    },
    unmark(subscriberId: number, paperId: string): void {
      unmark.run(subscriberId, paperId);
    },
    clearFeedback(subscriberId: number): void {
      clearFeedback.run(subscriberId);
    },
    /** A stored paper by its id or arXiv id (followed papers, feedback targets). */
    paper(ref: string): StoredPaperText | null {
      const r = paper.get(ref, ref);
      return r ? toText(r) : null;
    },
    /** The extra nonce of the reader's private links (feed, feedback): empty until first reset. */
    linkNonce(subscriberId: number): string {
      return nonce.get(subscriberId)?.nonce ?? '';
    },
    /** A new nonce: every private link (feed, feedback) given out so far stops working. */
    resetLinks(subscriberId: number): void {
      putNonce.run(subscriberId, randomBytes(16).toString('hex'));
    },
  };
}

export type InterestsRepo = ReturnType<typeof interestsRepo>;
