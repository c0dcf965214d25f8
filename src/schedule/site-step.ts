// The run's site step: renders feeds and archive pages from the stored editions and writes what changed.
import type { App } from '../app.ts';
import { renderFeeds } from '../render/feeds.ts';
import { renderSite } from '../render/site.ts';
import type { SiteInput } from '../render/site-input.ts';
import { writeSite } from '../render/site-writer.ts';

export interface SiteReport {
  dir: string;
  written: string[];
  unchanged: number;
  /** Feeds left as they were because the new version would have been empty. */
  kept: string[];
}

export function siteInput(app: App): SiteInput {
  return {
    editions: app.editions.published(),
    topics: app.topics().topics,
    baseUrl: app.config.baseUrl,
    feedItems: app.config.feedItems,
  };
}

export function publishSite(app: App): SiteReport {
  const input = siteInput(app);
  const files = new Map([...renderFeeds(input), ...renderSite(input)]);
  const result = writeSite(app.config.siteDir, files);
  return { dir: app.config.siteDir, written: result.written, unchanged: result.unchanged.length, kept: result.kept ?? [] };
}
