// A child process that renders a delivery's digest templates and exits: MJML (~60 MB) never loads in the sender.
import type { Config } from '../config.ts';
import { editionsFor } from '../edition/covered.ts';
import { selectionOfKey } from '../edition/digest.ts';
import { openDb } from '../store/db.ts';
import { editionsRepo } from '../store/editions.ts';
import { loadTopics } from '../topics/load.ts';
import type { TemplateData } from './message.ts';
import { renderSelection } from './template-cache.ts';

/** What the sender asks for (render-prefetch.ts): the selections of its queue, as of its clock. */
export interface RenderJob {
  config: Config;
  now: string;
  date: string;
  keys: string[];
}

export type RenderReply = { ok: true; templates: [string, TemplateData | null][] } | { ok: false; error: string };

async function render(job: RenderJob): Promise<RenderReply> {
  // The store, topics.yaml and the renderer: not the whole app (no config check, classifier or mailer to load).
  const db = openDb(job.config.dbPath);
  try {
    const editions = editionsRepo(db);
    const cadences = { daily: editionsFor(editions, job.date, 'daily'), weekly: editionsFor(editions, job.date, 'weekly') };
    const topics = loadTopics(job.config.topicsPath).topics;
    const app = { config: job.config, now: () => new Date(job.now) };
    const templates: [string, TemplateData | null][] = [];
    for (const key of job.keys) {
      const selection = selectionOfKey(key);
      const r = await renderSelection(app, cadences[selection.cadence], selection, topics, { skipEmpty: true, date: job.date });
      // The bytes are made again by the sender (withBytes): JSON carries the strings only.
      templates.push([key, r ? { ...r.template, bytes: undefined } : null]);
    }
    return { ok: true, templates };
  } finally {
    db.close();
  }
}

// Nothing to do once the sender is gone (it ended, or was killed): no orphan renders on.
process.once('disconnect', () => process.exit(0));
// The renderer loads while the sender queues its recipients; the job comes once they are queued.
await import('../render/email.ts');
process.once('message', (job: RenderJob) => {
  render(job)
    .catch((err: unknown): RenderReply => ({ ok: false, error: (err as Error)?.message ?? String(err) }))
    .then((reply) => process.send!(reply, () => process.disconnect()));
});
process.send!({ ready: true });
