// One odd entry never rejects a seed file: the good papers around it are kept, the doubtful one is flagged.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.ts';
import { parseConfig } from '../../src/config.ts';
import { ingestSeeds } from '../../src/ingest/scan.ts';
import { cli, tmpProject } from '../helpers/tmp.ts';
import { dumpPapers, NO_FULL_STOP_ABSTRACT, pageDump } from '../helpers/seed-dump.ts';

const json = <T>(r: { stdout: string; stderr: string; status: number | null }): T => {
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as T;
};

interface FileReport {
  path: string;
  status: string;
  reason?: string;
  parsed?: number;
  new?: number;
  flagged?: { line: number; message: string }[];
}

let app: App | null = null;
afterEach(async () => app?.close());

describe('a dump whose last abstract ends without a full stop', () => {
  it('arXiv enrichment with the whole abstract repairs the doubtful paper', () => {
    const proj = tmpProject();
    app = createApp(parseConfig(proj.env), { now: () => new Date('2026-11-20T07:00:00Z') });
    const cut = NO_FULL_STOP_ABSTRACT.slice(0, -30);
    writeFileSync(join(proj.seedsDir, 'a.txt'), pageDump([...dumpPapers(3), { title: 'Learning from Simulated and Unsupervised Images', abstract: cut }]));
    ingestSeeds({ seedsDir: proj.seedsDir, papers: app.papers, now: app.now });
    const doubtful = app.papers.find('Learning from Simulated and Unsupervised Images')!;
    expect(doubtful).toMatchObject({ abstract: cut, doubt: expect.stringMatching(/may be cut off/) });
    app.papers.applyArxiv(doubtful.id, { arxivId: '1612.07828', authors: [], publishedAt: null, extra: {}, abstract: NO_FULL_STOP_ABSTRACT, categories: ['cs.CV'] });
    expect(app.papers.find('1612.07828')).toMatchObject({ abstract: NO_FULL_STOP_ABSTRACT, doubt: null });
  });

  it('is ingested whole, the last paper kept in doubt, and a later listing clears the doubt', () => {
    const proj = tmpProject();
    const papers = dumpPapers(992);
    const last = { title: 'Learning from Simulated and Unsupervised Images through Adversarial Training', abstract: NO_FULL_STOP_ABSTRACT };
    writeFileSync(join(proj.seedsDir, '2026-11-20.txt'), pageDump([...papers, last]));

    const report = json<{ filesRejected: number; papersNew: number; files: FileReport[] }>(cli(['ingest', '--json'], proj.env));
    expect(report.filesRejected).toBe(0);
    expect(report.papersNew).toBe(993);
    const file = report.files[0]!;
    expect(file).toMatchObject({ status: 'ingested', parsed: 993, new: 993 });
    expect(file.flagged).toHaveLength(1);
    expect(file.flagged![0]!.message).toMatch(/^the abstract may be cut off: the last one in the file ends without a full stop \("….*benchmark method of SimGAN"\)$/);


    type Listed = { title: string; abstract: string; doubt: string | null };
    const stored = json<Listed[]>(cli(['papers', '--json'], proj.env));
    expect(stored).toHaveLength(993);
    const doubtful = stored.filter((p) => p.doubt !== null);
    expect(doubtful.map((p) => p.title)).toEqual([last.title]);
    expect(doubtful[0]!.abstract).toBe(NO_FULL_STOP_ABSTRACT);

    // The next day's dump lists the same paper with more after it: its abstract was whole, the doubt goes.
    writeFileSync(join(proj.seedsDir, '2026-11-21.txt'), pageDump([last, ...dumpPapers(3, 992)], 'Nov 21'));
    expect(json<{ papersNew: number; papersDuplicate: number }>(cli(['ingest', '--json'], proj.env))).toMatchObject({ papersNew: 3, papersDuplicate: 1 });
    const after = json<Listed[]>(cli(['papers', '--json'], proj.env));
    expect(after.filter((p) => p.doubt !== null)).toEqual([]);
  }, 180_000);

  it('a dump cut off mid-abstract keeps all its papers; the complete dump repairs the cut one', () => {
    const proj = tmpProject();
    const papers = dumpPapers(200);
    const whole = pageDump(papers);
    const lastAbstract = papers.at(-1)!.abstract;
    const cut = whole.slice(0, whole.length - Math.floor(lastAbstract.length / 2) - 1);
    writeFileSync(join(proj.seedsDir, 'partial.txt'), cut);
    const first = json<{ files: FileReport[] }>(cli(['ingest', '--json'], proj.env));
    expect(first.files[0]).toMatchObject({ status: 'ingested', new: 200, flagged: [{ message: expect.stringMatching(/may be cut off/) }] });

    writeFileSync(join(proj.seedsDir, 'complete.txt'), whole);
    const second = json<{ files: FileReport[] }>(cli(['ingest', '--json'], proj.env));
    expect(second.files.find((f) => f.path === 'complete.txt')).toMatchObject({ status: 'ingested', new: 0, parsed: 200 });
    type Listed = { title: string; abstract: string; doubt: string | null };
    const stored = json<Listed[]>(cli(['papers', '--json'], proj.env));
    expect(stored).toHaveLength(200);
    expect(stored.find((p) => p.title === papers.at(-1)!.title)).toMatchObject({ abstract: lastAbstract, doubt: null });
  }, 180_000);

  it('a dump whose last title lost its abstract keeps the papers before it and names the title', () => {
    const proj = tmpProject();
    const papers = dumpPapers(50);
    writeFileSync(join(proj.seedsDir, 'a.txt'), `${pageDump(papers)}\nA Title Whose Abstract Never Came\n`);
    const r = json<{ files: FileReport[] }>(cli(['ingest', '--json'], proj.env));
    expect(r.files[0]).toMatchObject({ status: 'ingested', new: 50, problems: [{ message: expect.stringMatching(/^a title with no abstract at the end of the file/) }] });
  }, 180_000);

  it('a file is rejected only when nothing in it is a paper', () => {
    const proj = tmpProject();
    writeFileSync(join(proj.seedsDir, 'chrome-only.txt'), 'Daily Papers\n\nby AK and the research community\n');
    writeFileSync(join(proj.seedsDir, 'items.json'), JSON.stringify([{ paper: { title: 'Only One Good Paper', summary: 'It is good.' } }, { paper: {} }, { paper: { id: 'x' } }]));
    const r = json<{ files: FileReport[] }>(cli(['ingest', '--json'], proj.env));
    expect(r.files.find((f) => f.path === 'chrome-only.txt')).toMatchObject({ status: 'rejected', reason: 'no papers found in hf-text file' });
    // More broken items than good ones: the good one is still a paper.
    expect(r.files.find((f) => f.path === 'items.json')).toMatchObject({ status: 'ingested', new: 1 });
  }, 180_000);
});
