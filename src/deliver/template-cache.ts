// One MIME template per selection in a delivery: one render (MJML compile) each; per recipient only the links are filled in.
import type { App } from '../app.ts';
import type { Digest, Edition, Selection, Subscriber, TopicDef } from '../domain.ts';
import { buildDigest } from '../edition/digest.ts';
import type { RenderedDigest } from '../render/email.ts';
import type { SendingSubscriber } from '../store/subscribers.ts';
import { buildMimeTemplate, type MimeTemplate } from './message.ts';
import type { PicksFill } from './picks-fill.ts';

/** Bounds the cache: a list where nearly every subscriber has a selection of their own must not hold them all. */
export const MAX_TEMPLATES = 500;

/** The template for a selection key (of subscriber `s`), or null when their topics have no papers: no email. */
export type TemplateFor = ((key: string, s: Subscriber) => Promise<MimeTemplate | null>) & {
  /** The reader's own "Picked for you" (deliver/picks-fill.ts), when they gave interests or feedback. */
  picks?: (s: SendingSubscriber) => Promise<PicksFill | null>;
  /** Templates rendered elsewhere (the render child), by selection key. */
  prefill?: (templates: Map<string, MimeTemplate | null>) => void;
};

/** What a render reads of the app: the base URL and From, and the clock (the Date header). */
export type RenderApp = { config: Pick<App['config'], 'baseUrl' | 'from'>; now: App['now'] };

export interface RenderedSelection {
  digest: Digest;
  rendered: RenderedDigest;
  template: MimeTemplate;
}

/**
 * A selection's digest, rendered and wrapped as its email: the one chain behind delivery and `paperboy preview`,
 * so a preview is what subscribers get. With `skipEmpty`, a digest with no papers is not rendered: null (no email).
 */
export function renderSelection(app: RenderApp, editions: Edition[], selection: Selection, topics: TopicDef[], opts?: { date?: string }): Promise<RenderedSelection>;
export function renderSelection(app: RenderApp, editions: Edition[], selection: Selection, topics: TopicDef[], opts: { skipEmpty: true; date?: string }): Promise<RenderedSelection | null>;
export async function renderSelection(app: RenderApp, editions: Edition[], selection: Selection, topics: TopicDef[], opts: { skipEmpty?: boolean; date?: string } = {}): Promise<RenderedSelection | null> {
  const digest = buildDigest(editions, selection, topics);
  if (opts.skipEmpty && digest.paperCount === 0) return null;
  // MJML and Handlebars load here, at the first render, not with the send loop: a sender whose templates came
  // from the render child (render-child.ts) never loads them.
  const { renderDigestHtml } = await import('../render/email.ts');
  // date: the send date, whose week a weekly digest covers.
  const rendered = await renderDigestHtml(digest, { baseUrl: app.config.baseUrl, topics, date: opts.date }); // links the edition page, or for a week the archive index (archiveUrlFor)
  const template = buildMimeTemplate(rendered, { from: app.config.from, baseUrl: app.config.baseUrl, date: app.now() });
  return { digest, rendered, template };
}

/**
 * `topics` is asked for only when something here needs it (a render, a reader's picks): a sender whose templates
 * came from the render child and whose readers gave no interests never compiles topics.yaml.
 */
export function templateCache(app: App, { date, daily, weekly, topics }: { date?: string; daily: Edition[]; weekly: Edition[]; topics: () => TopicDef[] }): TemplateFor {
  // Promises, not templates: concurrent workers with one selection share one render.
  const templates = new Map<string, Promise<MimeTemplate | null>>();
  const templateFor: TemplateFor = (key, s) => {
    let t = templates.get(key);
    if (!t) {
      if (templates.size >= MAX_TEMPLATES) templates.clear();
      const selection: Selection = { topics: s.topics, cadence: s.cadence };
      const editions = s.cadence === 'weekly' ? weekly : daily;
      // Nothing in their topics: no email.
      t = renderSelection(app, editions, selection, topics(), { skipEmpty: true, date }).then((r) => r?.template ?? null);
      templates.set(key, t);
    }
    return t;
  };
  // The ranking and its renderer (Handlebars) load at the first reader with interests, not before.
  // The promise is kept, not its result: the pool's first workers all arrive before the import ends, and each
  // would otherwise build its own filler (the edition's index and vectors) once.
  let picks: Promise<(s: SendingSubscriber) => PicksFill | null> | null = null;
  templateFor.picks = async (s) => {
    if (!s.hasInterests) return null;
    picks ??= import('./picks-fill.ts').then((m) => m.picksFiller(app, { daily, weekly, topics: topics() }));
    return (await picks)(s);
  };
  templateFor.prefill = (given) => {
    for (const [key, t] of given) if (templates.size < MAX_TEMPLATES) templates.set(key, Promise.resolve(t));
  };
  return templateFor;
}
