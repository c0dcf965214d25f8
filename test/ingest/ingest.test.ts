// Ingest into a real SQLite file: new files by hash, dedupe across formats, rejections that block nothing.
import { copyFileSync, readFileSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.ts';
import { parseConfig } from '../../src/config.ts';
import { ingestSeeds } from '../../src/ingest/scan.ts';
import { FIXTURES, SEEDS, tmpProject, type TmpProject } from '../helpers/tmp.ts';

let app: App | null = null;
afterEach(async () => app?.close());

function setup(opts: { copySeeds?: boolean } = {}): { proj: TmpProject; app: App; ingest: () => ReturnType<typeof ingestSeeds> } {
  const proj = tmpProject(opts);
  let t = Date.parse('2026-11-20T07:00:00Z');
  app = createApp(parseConfig(proj.env), { now: () => new Date((t += 1000)) });
  const a = app;
  return { proj, app: a, ingest: () => ingestSeeds({ seedsDir: proj.seedsDir, papers: a.papers, now: a.now }) };
}

describe('ingest', () => {
  it('stores the 516 distinct seed papers once, and a second run ingests nothing', () => {
    const { app, ingest } = setup({ copySeeds: true });
    const first = ingest();
    expect(first).toMatchObject({ filesSeen: 4, filesIngested: 4, filesRejected: 0, papersParsed: 529, papersNew: 516, papersDuplicate: 13 });
    expect(app.papers.count()).toBe(516);
    const second = ingest();
    expect(second).toMatchObject({ filesSeen: 4, filesIngested: 0, filesKnown: 4, papersNew: 0 });
    expect(app.papers.count()).toBe(516);
    const seedRows = app.papers.seedFiles();
    expect(seedRows.map((s) => [s.status, s.papersParsed, s.papersNew])).toEqual([
      ['ingested', 136, 136],
      ['ingested', 170, 168],
      ['ingested', 119, 116],
      ['ingested', 104, 96],
    ]);
    expect(seedRows[0]!.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('records where each paper was first seen: seed file, line and time', () => {
    const { app, ingest } = setup({ copySeeds: true });
    ingest();
    const p = app.papers.find('LLM as Effective Streaming Processor: Bridging Streaming-Batch Mismatches with Group Position Encoding')!;
    expect(p).toMatchObject({ seedFile: '000_85cfc0436d41684a.txt', line: 13, arxivId: null, editionId: null });
    expect(p.id).toMatch(/^t-[0-9a-f]{16}$/);
    expect(p.firstSeen).toMatch(/^2026-11-20T07:00:0\dZ$|^2026-11-20T07:00:0\d\.000Z$/);
  });

  it('a renamed or touched file is not new; an edited file is, but its known papers are not new papers', () => {
    const { proj, app, ingest } = setup({ copySeeds: true });
    ingest();
    renameSync(join(proj.seedsDir, '000_85cfc0436d41684a.txt'), join(proj.seedsDir, 'renamed.txt'));
    utimesSync(join(proj.seedsDir, '001_9d2220cffeb7fbb9.txt'), new Date(), new Date());
    expect(ingest()).toMatchObject({ filesIngested: 0, filesKnown: 4 });
    const edited = join(proj.seedsDir, '003_78b85e7718955e76.txt');
    writeFileSync(edited, readFileSync(edited, 'utf8') + '\n\nA Brand New Paper About Sparse Attention\n\nWe study sparse attention.\n');
    const r = ingest();
    expect(r).toMatchObject({ filesIngested: 1, papersParsed: 105, papersNew: 1, papersDuplicate: 104 });
    expect(app.papers.count()).toBe(517);
  });

  it('the same paper from a text dump and from JSON is one paper, enriched with the arXiv id', () => {
    const { proj, app, ingest } = setup();
    const json = JSON.parse(readFileSync(join(FIXTURES, 'hf-daily-papers-2024-10-25.json'), 'utf8'));
    const title = json[1].paper.title as string;
    // The text dump knows the title with different case/spacing/punctuation and no arXiv id.
    writeFileSync(join(proj.seedsDir, 'a.txt'), `Daily Papers\n\n${title.toUpperCase().replace('?', ' ?')}\n\n${json[1].paper.summary.replace(/\n/g, ' ')}\n`);
    ingest();
    const before = app.papers.find(title)!;
    expect(before.arxivId).toBeNull();
    writeFileSync(join(proj.seedsDir, 'b.json'), JSON.stringify(json));
    const r = ingest();
    expect(r).toMatchObject({ papersParsed: 29, papersNew: 28, papersDuplicate: 1 });
    const after = app.papers.find('2410.16251')!;
    expect(after.id).toBe(before.id); // ids never change, so feed guids stay stable
    expect(after.arxivId).toBe('2410.16251');
    expect(after.authors.length).toBeGreaterThan(0);
    expect(after.upvotes).toBe(json[1].paper.upvotes);
    expect(app.papers.count()).toBe(29);
    // Operators paste ids the way they meet them.
    for (const q of ['arXiv:2410.16251v2', 'https://arxiv.org/abs/2410.16251v1', 'https://arxiv.org/pdf/2410.16251.pdf', 'https://huggingface.co/papers/2410.16251']) {
      expect(app.papers.find(q)?.id, q).toBe(before.id);
    }
  });

  it('a later listing with the whole abstract repairs one that an earlier listing cut short, and never the other way', () => {
    const { proj, app, ingest } = setup();
    const json = JSON.parse(readFileSync(join(FIXTURES, 'hf-daily-papers-2024-10-25.json'), 'utf8'));
    const { title, summary } = json[1].paper as { title: string; summary: string };
    const whole = summary.replace(/\s+/g, ' ').trim();
    const cut = whole.slice(0, whole.indexOf('. ', 200) + 1); // the dump kept only its first sentences
    writeFileSync(join(proj.seedsDir, 'a.txt'), `Daily Papers\n${title}\n${cut}\n`);
    ingest();
    expect(app.papers.find(title)!.abstract).toBe(cut);
    writeFileSync(join(proj.seedsDir, 'b.json'), JSON.stringify(json));
    ingest();
    expect(app.papers.find(title)!.abstract).toBe(whole);
    // A shorter copy seen later (or a different text) leaves the stored abstract alone.
    writeFileSync(join(proj.seedsDir, 'c.txt'), `Daily Papers\n${title}\n${cut}\n\nAnother Paper Entirely\n${cut.replace(/^\w+/, 'Here')}\n`);
    ingest();
    expect(app.papers.find(title)!.abstract).toBe(whole);
  });

  it('a JSON paper seen first keeps its arXiv id as its id, and the later text copy is a duplicate', () => {
    const { proj, app, ingest } = setup();
    copyFileSync(join(FIXTURES, 'hf-daily-papers-2024-10-25.json'), join(proj.seedsDir, 'a.json'));
    ingest();
    writeFileSync(join(proj.seedsDir, 'b.txt'), 'Daily Papers\nBreaking the Memory Barrier: Near Infinite Batch Size Scaling for Contrastive Loss\nAbstract.\n');
    expect(ingest()).toMatchObject({ papersNew: 0, papersDuplicate: 1 });
    expect(app.papers.find('Breaking the memory barrier near infinite batch size scaling for contrastive loss')!.id).toBe('2410.17243');
  });

  it('rejects bad files with a one-line reason in the report and the store, and ingests the rest', () => {
    const { proj, app, ingest } = setup();
    copyFileSync(join(SEEDS, '003_78b85e7718955e76.txt'), join(proj.seedsDir, 'good.txt'));
    writeFileSync(join(proj.seedsDir, 'empty.txt'), '');
    writeFileSync(join(proj.seedsDir, 'binary.bin'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 13]));
    writeFileSync(join(proj.seedsDir, 'latin1.txt'), Buffer.from('Daily Papers\nCaf\xe9 title\nAbstract\n', 'latin1'));
    writeFileSync(join(proj.seedsDir, 'truncated.json'), readFileSync(join(FIXTURES, 'hf-daily-papers-2024-10-25.json'), 'utf8').slice(0, 10_000));
    writeFileSync(join(proj.seedsDir, 'nopapers.txt'), 'Daily Papers\nbyAK and the research community\n');
    writeFileSync(join(proj.seedsDir, 'longline.txt'), 'Daily Papers\n' + 'x'.repeat(5000) + '\nabstract\n');
    writeFileSync(join(proj.seedsDir, '.hidden'), 'ignored');
    const r = ingest();
    const reasons = Object.fromEntries(r.files.filter((f) => f.status === 'rejected').map((f) => [f.path, f.reason]));
    expect(reasons).toEqual({
      'binary.bin': 'binary file (contains NUL bytes)',
      'empty.txt': 'empty file',
      'longline.txt': expect.stringMatching(/^no papers found in hf-text file \(line 2: title is 5000 characters long/),
      'nopapers.txt': 'no papers found in hf-text file',
    });
    // Truncated JSON keeps the items that closed before the cut.
    expect(r.files.find((f) => f.path === 'truncated.json')).toMatchObject({ status: 'ingested', new: 2, problems: [{ line: 3 }] });
    // Latin-1 is read as such (bad-bytes.test.ts): a file is never rejected for its encoding alone.
    expect(r.files.find((f) => f.path === 'latin1.txt')).toMatchObject({ status: 'ingested', new: 1 });
    expect(r).toMatchObject({ filesSeen: 7, filesIngested: 3, filesRejected: 4, papersNew: 107 });
    const stored = app.papers.seedFiles().filter((s) => s.status === 'rejected');
    expect(stored).toHaveLength(4);
    for (const s of stored) expect(s.reason).not.toMatch(/\n/);
    // The same rejected bytes are not retried on every run, until the operator asks for it.
    expect(ingest()).toMatchObject({ filesKnown: 7, filesRejected: 0 });
    expect(app.papers.forgetRejected()).toBe(4);
    expect(ingest()).toMatchObject({ filesKnown: 3, filesRejected: 4 });
  });

  it('a file that cannot be read is reported, blocks nothing, and is tried again on the next run', () => {
    const { proj, app } = setup({ copySeeds: true });
    const gone = '001_9d2220cffeb7fbb9.txt';
    const saved = readFileSync(join(proj.seedsDir, gone));
    // The file disappears between the folder listing and the read (a sync tool replacing it, say).
    const r = ingestSeeds({ seedsDir: proj.seedsDir, papers: app.papers, now: app.now, onFile: (_i, _n, path) => path === gone && rmSync(join(proj.seedsDir, path)) });
    expect(r).toMatchObject({ filesSeen: 4, filesIngested: 3, filesRejected: 1 });
    expect(r.files.find((f) => f.path === gone)).toEqual({ path: gone, status: 'rejected', reason: 'cannot be read: ENOENT' });
    writeFileSync(join(proj.seedsDir, gone), saved);
    expect(ingestSeeds({ seedsDir: proj.seedsDir, papers: app.papers, now: app.now })).toMatchObject({ filesIngested: 1, filesKnown: 3, filesRejected: 0 });
    expect(app.papers.count()).toBe(516);
  });

  it('ingests a 20,000-paper file whole', () => {
    const { proj, app, ingest } = setup();
    const lines = ['Daily Papers'];
    for (let i = 0; i < 20_000; i++) lines.push(`Generated Paper Number ${i} on Sparse Mixtures`, `Abstract ${i}. `.repeat(40));
    writeFileSync(join(proj.seedsDir, 'big.txt'), lines.join('\n'));
    expect(ingest()).toMatchObject({ filesIngested: 1, papersNew: 20_000 });
    expect(app.papers.count()).toBe(20_000);
  });
});
