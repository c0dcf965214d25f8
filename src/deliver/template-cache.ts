// One MIME template per selection in a delivery: one render (MJML compile) each; per recipient only the links are filled in.
import type { App } from '../app.ts';
import type { Edition, Selection, Subscriber, TopicDef } from '../domain.ts';
import { buildDigest } from '../edition/digest.ts';
import { renderDigestHtml } from '../render/email.ts';
import { buildMimeTemplate, type MimeTemplate } from './message.ts';

/** Bounds the cache: a list where nearly every subscriber has a selection of their own must not hold them all. */
const MAX_TEMPLATES = 500;

/** The template for a selection key (of subscriber `s`), or null when their topics have no papers: no email. */
export type TemplateFor = (key: string, s: Subscriber) => Promise<MimeTemplate | null>;

export function templateCache(app: App, { daily, weekly, topics }: { daily: Edition[]; weekly: Edition[]; topics: TopicDef[] }): TemplateFor {
  // Promises, not templates: concurrent workers with one selection share one render.
  const templates = new Map<string, Promise<MimeTemplate | null>>();
  return (key, s) => {
    let t = templates.get(key);
    if (!t) {
      if (templates.size >= MAX_TEMPLATES) templates.clear();
      const selection: Selection = { topics: s.topics, cadence: s.cadence };
      const editions = s.cadence === 'weekly' ? weekly : daily;
      t = (async () => {
        const digest = buildDigest(editions, selection, topics);
        if (digest.paperCount === 0) return null; // nothing in their topics: no email
        const rendered = await renderDigestHtml(digest, { baseUrl: app.config.baseUrl, topics }); // links the edition page, or for a week the archive index (archiveUrlFor)
        return buildMimeTemplate(rendered, { from: app.config.from, baseUrl: app.config.baseUrl, date: app.now() });
      })();
      templates.set(key, t);
    }
    return t;
  };
}
