// Per recipient of a delivery: their "Picked for you" section, ranked and rendered (cheap string work), or nothing.
import type { App } from '../app.ts';
import type { Edition, TopicDef } from '../domain.ts';
import { selectionKey } from '../edition/digest.ts';
import { pickPool, picksFor, readerInterests, type PickPool } from '../edition/picks.ts';
import { hasInterests, type ReaderInterests } from '../rank/rank.ts';
import { picksView, renderPicksHtml, renderPicksText } from '../render/picks.ts';
import { interestsRepo } from '../store/interests.ts';
import type { SendingSubscriber, StoredSubscriber } from '../store/subscribers.ts';
import { readerUrls } from '../reader-links.ts';
import { preferencesUrl } from '../signed-links.ts';
import { plural } from '../render/links.ts';

export interface PicksFill {
  picksHtml: string;
  picksText: string;
}

/** "3 keywords, 1 author, 2 papers you follow, 4 papers you marked". */
export function basisOf(i: ReaderInterests): string {
  const follows = i.liked.filter((p) => p.via === 'follow').length;
  const marked = i.liked.length - follows + i.disliked.length;
  return [
    i.keywords.length ? plural(i.keywords.length, 'keyword') : '',
    i.authors.length ? plural(i.authors.length, 'author') : '',
    follows ? `${plural(follows, 'paper')} you follow` : '',
    marked ? `${plural(marked, 'paper')} you marked` : '',
  ]
    .filter((s) => s !== '')
    .join(', ');
}

/**
 * A function from recipient to their picks. The editions are indexed once per cadence, on the first reader who
 * needs it; a reader without interests gets nothing (their digest as it was), at no read of their own when the send
 * loop's batch read says so (a SendingSubscriber), else one indexed read.
 */
export function picksFiller(app: App, { daily, weekly, topics }: { daily: Edition[]; weekly: Edition[]; topics: TopicDef[] }): (s: StoredSubscriber | SendingSubscriber) => PicksFill | null {
  const repo = interestsRepo(app.db);
  const pools: { daily?: PickPool; weekly?: PickPool } = {};
  return (s) => {
    if (!('hasInterests' in s ? s.hasInterests : repo.hasAny(s.id))) return null;
    const interests = readerInterests(repo, s.id);
    if (!hasInterests(interests)) return null;
    const pool = (pools[s.cadence] ??= pickPool(s.cadence === 'weekly' ? weekly : daily, topics));
    const selection = { topics: s.topics, cadence: s.cadence };
    const key = selectionKey(selection);
    const picks = picksFor(pool, key, selection, interests);
    if (picks.length === 0) return null;
    const urls = readerUrls(app.config.baseUrl, app.secrets, s, 'readerNonce' in s ? s.readerNonce : repo.linkNonce(s.id));
    const view = picksView(picks, {
      prefsUrl: preferencesUrl(app.config.baseUrl, app.secrets, s),
      pageUrl: urls.page,
      feedback: urls.feedback,
      candidates: pool.candidates.get(key)?.length ?? 0,
      basis: basisOf(interests),
    });
    return { picksHtml: renderPicksHtml(view), picksText: renderPicksText(view) };
  };
}
