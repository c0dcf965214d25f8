// `paperboy preview`: a digest for any selection written to files, defaulting to the latest edition.
import type { App } from '../app.ts';
import { PaperboyError } from '../errors.ts';
import { preview, type PreviewReport } from '../schedule/preview-step.ts';

export async function previewCommand(
  app: App,
  o: { topics?: string[]; cadence: 'daily' | 'weekly'; date?: string; out?: string },
): Promise<PreviewReport> {
  const known = new Set(app.topics().topics.map((t) => t.slug));
  known.add('other');
  const unknown = (o.topics ?? []).filter((t) => !known.has(t));
  if (unknown.length) throw new PaperboyError('BAD_INPUT', `unknown topic(s): ${unknown.join(', ')}; known: ${[...known].join(', ')}`);
  const date = o.date ?? app.editions.list().find((e) => e.status === 'published')?.id;
  if (!date) throw new PaperboyError('NOT_FOUND', 'no published edition yet; run `paperboy run` first');
  return preview(app, { date, selection: { topics: o.topics?.length ? o.topics : null, cadence: o.cadence }, outDir: o.out });
}
