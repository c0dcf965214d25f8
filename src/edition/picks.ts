// "Picked for you": a reader's interests and feedback from the store, ranked over every paper of their digest's editions within their topics.
import type { Edition, EditionPaper, Selection, TopicDef } from '../domain.ts';
import { buildCorpus, rankFor, type Corpus, type MarkedPaper, type Pick, type ReaderInterests } from '../rank/rank.ts';
import type { InterestsRepo } from '../store/interests.ts';
import { papersInSelection } from './digest.ts';

/** The editions a digest covers, indexed once for every reader of them. */
export interface PickPool {
  corpus: Corpus;
  byId: Map<string, EditionPaper>;
  /** Candidates per selection key, computed on first use. */
  candidates: Map<string, string[]>;
  editions: Edition[];
  topics: TopicDef[];
}

const MAX_SELECTIONS = 500;

export function pickPool(editions: Edition[], topics: TopicDef[]): PickPool {
  const byId = new Map<string, EditionPaper>();
  for (const e of editions) for (const ep of e.papers) byId.set(ep.paper.id, ep);
  const docs = [...byId.values()].map(({ paper }) => ({ id: paper.id, title: paper.title, abstract: paper.abstract, authors: paper.authors }));
  return { corpus: buildCorpus(docs), byId, candidates: new Map(), editions, topics };
}

export function candidatesFor(pool: PickPool, key: string, selection: Selection): string[] {
  let ids = pool.candidates.get(key);
  if (!ids) {
    if (pool.candidates.size >= MAX_SELECTIONS) pool.candidates.clear();
    ids = papersInSelection(pool.editions, selection, pool.topics).map((ep) => ep.paper.id);
    pool.candidates.set(key, ids);
  }
  return ids;
}

/** Interests, followed papers (those the store knows) and feedback as the ranking takes them. */
export function readerInterests(repo: InterestsRepo, subscriberId: number): ReaderInterests {
  const i = repo.get(subscriberId);
  const liked: MarkedPaper[] = [];
  const disliked: MarkedPaper[] = [];
  for (const ref of i.follows) {
    const p = repo.paper(ref);
    if (p) liked.push({ ...p, via: 'follow' });
  }
  for (const f of repo.feedback(subscriberId)) (f.signal === 1 ? liked : disliked).push({ ...f, via: 'marked' });
  return { keywords: i.keywords, authors: i.authors, liked, disliked };
}

export interface ReaderPick extends Pick {
  paper: EditionPaper;
}

export function picksFor(pool: PickPool, key: string, selection: Selection, interests: ReaderInterests, count?: number): ReaderPick[] {
  return rankFor(pool.corpus, candidatesFor(pool, key, selection), interests, count).map((p) => ({ ...p, paper: pool.byId.get(p.id)! }));
}
