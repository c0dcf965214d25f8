// The editions a digest for a date covers: shared by delivery and the preview, below both.
import { addDays } from '../clock.ts';
import type { Edition, Selection } from '../domain.ts';
import type { EditionsRepo } from '../store/editions.ts';

/** That day's published edition, or for weekly the published editions of the seven days ending with it. */
export function editionsFor(editions: EditionsRepo, date: string, cadence: Selection['cadence']): Edition[] {
  if (cadence === 'weekly') return editions.publishedBetween(addDays(date, -6), date);
  const e = editions.get(date);
  return e && e.status === 'published' ? [e] : [];
}
