// `paperboy topics`: the grouping of the stored papers by the current topics.yaml, or why one paper landed where it did.
import type { App } from '../app.ts';
import { PaperboyError } from '../errors.ts';
import { explainPaper, formatExplanation, formatTopicsReport, topicsReport } from '../topics/report.ts';

export function topicsCommand(app: App, o: { explain?: string; json?: boolean }): string {
  const compiled = app.topics();
  if (o.explain !== undefined) {
    const paper = findOne(app, o.explain);
    const explanation = explainPaper(paper, compiled);
    return o.json ? JSON.stringify({ id: paper.id, title: paper.title, ...explanation }, null, 2) : `${paper.id}  ${paper.title}\n${formatExplanation(explanation)}`;
  }
  const papers = app.papers.list();
  // Trending: the newest edition's papers against everything before them.
  const latest = app.editions.list().find((e) => e.status === 'published');
  const current = latest ? papers.filter((p) => p.editionId === latest.id) : papers.filter((p) => p.editionId === null);
  const inCurrent = new Set(current);
  const history = papers.filter((p) => !inCurrent.has(p));
  const trending = app.classifier().trending(current, history);
  const report = topicsReport(papers, compiled, trending);
  return o.json ? JSON.stringify(report, null, 2) : formatTopicsReport(report);
}

/** An id, an arXiv id, a whole title, or a part of a title that only one paper has. */
function findOne(app: App, query: string) {
  const exact = app.papers.find(query);
  if (exact) return exact;
  const partial = query.trim() === '' ? [] : app.papers.titled(query, 6);
  if (partial.length === 1) return partial[0]!;
  if (partial.length === 0) throw new PaperboyError('NOT_FOUND', `no stored paper with id, arXiv id or title "${query}"`);
  const shown = partial.slice(0, 5).map((p) => `${p.id} "${p.title.slice(0, 70)}"`).join('; ');
  throw new PaperboyError('BAD_INPUT', `"${query}" is in the titles of ${partial.length > 5 ? 'more than 5' : partial.length} papers (${shown}); give more of the title or an id`);
}
