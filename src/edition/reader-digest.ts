// A reader's own digest for the web page and the private feed: their cadence's latest editions, their picks, their topics.
import type { Edition, EditionPaper, Subscriber, TopicDef } from '../domain.ts';
import type { EditionsRepo } from '../store/editions.ts';
import type { InterestsRepo } from '../store/interests.ts';
import { hasInterests } from '../rank/rank.ts';
import { editionsFor } from './covered.ts';
import { papersInSelection, selectionKey } from './digest.ts';
import { pickPool, picksFor, readerInterests, type PickPool, type ReaderPick } from './picks.ts';

/** Indexed editions shared by requests (a feed reader polls; indexing an edition is the costly part). */
export class PoolCache {
  private pools = new Map<string, PickPool>();
  get(editions: Edition[], topics: TopicDef[]): PickPool {
    const key = editions.map((e) => `${e.id}:${e.papers.length}`).join(',');
    let pool = this.pools.get(key);
    if (!pool) {
      if (this.pools.size >= 16) this.pools.delete(this.pools.keys().next().value!);
      pool = pickPool(editions, topics);
      this.pools.set(key, pool);
    }
    return pool;
  }
}

export interface ReaderEdition {
  /** The editions this part covers (one, or a week's). */
  editions: Edition[];
  picks: ReaderPick[];
  /** Papers within the reader's topics, picks excluded. */
  papers: EditionPaper[];
}

/**
 * The reader's digests, newest first: for a daily reader one per recent edition, for a weekly reader the latest
 * week. `count` bounds how many daily editions (the page shows one, the feed a week's worth).
 */
export function readerDigests(repos: { editions: EditionsRepo; interests: InterestsRepo }, cache: PoolCache, s: Subscriber, topics: TopicDef[], count: number): ReaderEdition[] {
  const latest = repos.editions.published(s.cadence === 'weekly' ? 1 : count);
  const groups = s.cadence === 'weekly' ? (latest[0] ? [editionsFor(repos.editions, latest[0].id, 'weekly')] : []) : latest.map((e) => [e]);
  const interests = readerInterests(repos.interests, s.id);
  const selection = { topics: s.topics, cadence: s.cadence };
  return groups.map((editions) => {
    const pool = cache.get(editions, topics);
    const picks = hasInterests(interests) ? picksFor(pool, selectionKey(selection), selection, interests) : [];
    const picked = new Set(picks.map((p) => p.id));
    return { editions, picks, papers: papersInSelection(editions, selection, topics).filter((ep) => !picked.has(ep.paper.id)) };
  });
}
