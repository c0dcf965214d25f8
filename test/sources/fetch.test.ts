// `fetch` against local servers replaying recorded answers: seed files written atomically and only on change,
// bad answers rejected in one line with nothing written, one failing source never stopping another.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestSeeds } from '../../src/ingest/scan.ts';
import { fetchStep } from '../../src/schedule/sources-step.ts';
import { FIXTURES, tmpProject } from '../helpers/tmp.ts';
import { sourcesWorld } from './world.ts';
import { fakeTiming, json, xml } from './fakes.ts';

const HF_FIXTURE = readFileSync(join(FIXTURES, 'hf-daily-papers-2024-10-25.json'), 'utf8');
const ARXIV_FIXTURE = readFileSync(join(FIXTURES, 'arxiv-query-cs.RO.xml'), 'utf8');
const ARXIV_ERROR = readFileSync(join(FIXTURES, 'arxiv-error.xml'), 'utf8');

const { serve, open } = sourcesWorld();

const hfDay = (date: string) => (date === '2024-10-25' ? HF_FIXTURE : '[]');

describe('paperboy fetch: hf', () => {
  it('writes the day as a seed file with the bearer token; the same listing again writes nothing', async () => {
    const hf = await serve((req, res) => json(res, req.path === '/api/daily_papers' ? hfDay(req.query.get('date')!) : '{}'));
    const proj = tmpProject();
    const app = open(proj, { PAPERBOY_SOURCES: 'hf', PAPERBOY_HF_URL: hf.url, HF_TOKEN: 'hf_secret' });
    const r = await fetchStep(app, '2024-10-25', 3, { timing: fakeTiming() });
    expect(r.dates).toEqual(['2024-10-25', '2024-10-24', '2024-10-23']);
    expect(r.warnings).toEqual([expect.stringMatching(/User-Agent names paperboy@localhost, .*set PAPERBOY_CONTACT/)]);
    expect(r.days.map((d) => [d.date, d.status, d.papers])).toEqual([
      ['2024-10-25', 'written', 29],
      ['2024-10-24', 'empty', 0],
      ['2024-10-23', 'empty', 0],
    ]);
    expect(hf.seen[0]!.headers.authorization).toBe('Bearer hf_secret');
    expect(Object.fromEntries(hf.seen[0]!.query)).toEqual({ date: '2024-10-25', limit: '100', p: '0' });
    const file = join(proj.seedsDir, 'hf/2024-10-25.json');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toHaveLength(29);
    const mtime = statSync(file).mtimeMs;
    // No temp files left behind, and nothing for the empty days.
    expect(readdirSync(join(proj.seedsDir, 'hf'))).toEqual(['2024-10-25.json']);

    const again = await fetchStep(app, '2024-10-25', 1, { timing: fakeTiming() });
    expect(again.days[0]).toMatchObject({ status: 'unchanged', written: [] });
    expect(statSync(file).mtimeMs).toBe(mtime);

    const ingest = ingestSeeds({ seedsDir: proj.seedsDir, papers: app.papers, now: app.now });
    expect(ingest).toMatchObject({ filesIngested: 1, papersNew: 29 });
  });

  it('pages through a busy day with limit/p and stores each paper once', async () => {
    const base = JSON.parse(HF_FIXTURE) as { paper: { id: string; title: string } }[];
    const many = Array.from({ length: 130 }, (_, i) => {
      const item = structuredClone(base[i % base.length]!);
      item.paper.id = `2410.${String(20000 + i)}`;
      item.paper.title = `Synthetic paper number ${i}`;
      return item;
    });
    const hf = await serve((req, res) => {
      const limit = Number(req.query.get('limit'));
      const p = Number(req.query.get('p'));
      json(res, many.slice(p * limit, (p + 1) * limit));
    });
    const proj = tmpProject();
    const app = open(proj, { PAPERBOY_SOURCES: 'hf', PAPERBOY_HF_URL: hf.url });
    const r = await fetchStep(app, '2024-10-25', 1, { timing: fakeTiming() });
    expect(r.days[0]).toMatchObject({ status: 'written', papers: 130 });
    expect(hf.seen.map((s) => s.query.get('p'))).toEqual(['0', '1']);
    expect(hf.seen[0]!.headers.authorization).toBeUndefined();
  });

  it('uses the ETag: a 304 keeps the seed file as it is', async () => {
    const hf = await serve((req, res) => {
      if (req.headers['if-none-match'] === 'W/"abc"') {
        res.writeHead(304);
        res.end();
      } else json(res, hfDay(req.query.get('date')!), { etag: 'W/"abc"' });
    });
    const proj = tmpProject();
    const app = open(proj, { PAPERBOY_SOURCES: 'hf', PAPERBOY_HF_URL: hf.url });
    await fetchStep(app, '2024-10-25', 1, { timing: fakeTiming() });
    const again = await fetchStep(app, '2024-10-25', 1, { timing: fakeTiming() });
    expect(again.days[0]).toMatchObject({ status: 'unchanged', papers: 29, notModified: 1 });
    expect(hf.seen[1]!.headers['if-none-match']).toBe('W/"abc"');
  });

  const bad: [string, (res: import('node:http').ServerResponse) => void, RegExp][] = [
    [
      'an HTML error page',
      (res) => {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<!DOCTYPE html><html><head><title>Hugging Face – Maintenance</title></head><body>Back soon</body></html>');
      },
      /answered an HTML page instead of JSON \(title: Hugging Face – Maintenance\)/,
    ],
    ['a truncated body', (res) => json(res, HF_FIXTURE.slice(0, 5000)), /not valid JSON \(truncated\?\)/],
    ['a 200 with an error object', (res) => json(res, { error: 'Invalid date' }), /answered with an error: Invalid date/],
    ['JSON that is no listing', (res) => json(res, { hello: 'world' }), /not a list of daily papers/],
    ['a list of junk', (res) => json(res, [1, 2, 3]), /listing unusable: .*no papers found/],
  ];
  for (const [what, answer, line] of bad) {
    it(`rejects ${what} in one line, writes nothing, and the other source still lands`, async () => {
      const hf = await serve((_req, res) => answer(res));
      const arxiv = await serve((_req, res) => xml(res, ARXIV_FIXTURE));
      const proj = tmpProject();
      const app = open(proj, { PAPERBOY_SOURCES: 'hf,arxiv:cs.RO', PAPERBOY_HF_URL: hf.url, PAPERBOY_ARXIV_URL: arxiv.url });
      const r = await fetchStep(app, '2024-10-24', 1, { timing: fakeTiming() });
      expect(r.days[0]).toMatchObject({ source: 'hf', status: 'failed' });
      expect(r.days[0]!.error).toMatch(line);
      expect(r.days[0]!.error).not.toContain('\n');
      expect(existsSync(join(proj.seedsDir, 'hf'))).toBe(false);
      expect(r.days[1]).toMatchObject({ source: 'arxiv:cs.RO', status: 'written', written: ['arxiv-cs.RO/2024-10-24.xml'] });
      expect(r.failed).toBe(1);
    });
  }

  it('a 100 MB answer is refused while streaming: one line, nothing written', async () => {
    const hf = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(1024 * 1024, 0x20);
      let left = 100;
      const pump = () => {
        while (left-- > 0) if (!res.write(chunk)) return void res.once('drain', pump);
        res.end('[]');
      };
      res.on('close', () => (left = 0));
      pump();
    });
    const proj = tmpProject();
    const app = open(proj, { PAPERBOY_SOURCES: 'hf', PAPERBOY_HF_URL: hf.url });
    const r = await fetchStep(app, '2024-10-25', 1, { timing: fakeTiming() });
    expect(r.days[0]!.error).toMatch(/passed the 33554432-byte limit while downloading; refused/);
    expect(existsSync(join(proj.seedsDir, 'hf'))).toBe(false);
  });
});

describe('paperboy fetch: arxiv:<category>', () => {
  it('asks for the category and day, writes the Atom page as a seed file; ingest keeps categories primary first', async () => {
    const arxiv = await serve((_req, res) => xml(res, ARXIV_FIXTURE));
    const proj = tmpProject();
    const app = open(proj, { PAPERBOY_SOURCES: 'arxiv:cs.RO', PAPERBOY_ARXIV_URL: arxiv.url });
    const r = await fetchStep(app, '2024-10-24', 1, { timing: fakeTiming() });
    expect(r.days[0]).toMatchObject({ status: 'written', papers: 2 });
    expect(arxiv.seen[0]!.path).toBe('/api/query');
    expect(arxiv.seen[0]!.query.get('search_query')).toBe('cat:cs.RO AND submittedDate:[202410240000 TO 202410242359]');
    expect(arxiv.seen[0]!.query.get('sortBy')).toBe('submittedDate');
    ingestSeeds({ seedsDir: proj.seedsDir, papers: app.papers, now: app.now });
    const p = app.papers.find('2410.18912')!;
    expect(p.categories).toEqual(['cs.RO', 'cs.CV', 'cs.LG']);
    expect(p.authors).toEqual(['Mingtong Zhang', 'Kaifeng Zhang', 'Yunzhu Li']);
    expect(p.abstract).toMatch(/robotic applications & planning\.$/);
    expect(p.extra.arxivComment).toBe('Project Page: https://gs-dynamics.github.io');
    const scaling = app.papers.find('2410.18647')!;
    expect(scaling.title).toBe('Data Scaling Laws in Imitation Learning for Robotic Manipulation');
    expect(scaling.categories).toEqual(['cs.RO', 'cs.AI', 'cs.LG']);
  });

  it('the same paper from hf and from arXiv is one paper, with upvotes from one and categories from the other', async () => {
    const hf = await serve((_req, res) => json(res, HF_FIXTURE));
    const arxiv = await serve((_req, res) => xml(res, ARXIV_FIXTURE));
    const proj = tmpProject();
    const app = open(proj, { PAPERBOY_SOURCES: 'hf,arxiv:cs.RO', PAPERBOY_HF_URL: hf.url, PAPERBOY_ARXIV_URL: arxiv.url });
    await fetchStep(app, '2024-10-25', 1, { timing: fakeTiming() });
    const ingest = ingestSeeds({ seedsDir: proj.seedsDir, papers: app.papers, now: app.now });
    expect(ingest.papersNew).toBe(29 + 1); // the scaling-laws paper is in both
    const p = app.papers.find('2410.18647')!;
    expect(p.upvotes).not.toBeNull();
    expect(p.categories).toEqual(['cs.RO', 'cs.AI', 'cs.LG']);
  });

  it('keeps to one request every three seconds over several categories and days', async () => {
    const arxiv = await serve((_req, res) => xml(res, ARXIV_FIXTURE));
    const proj = tmpProject();
    const app = open(proj, { PAPERBOY_SOURCES: 'arxiv:cs.RO,arxiv:cs.LG', PAPERBOY_ARXIV_URL: arxiv.url });
    const timing = fakeTiming();
    const t0 = timing.now();
    await fetchStep(app, '2024-10-24', 2, { timing });
    expect(arxiv.seen).toHaveLength(4);
    expect(timing.sleeps).toEqual([3000, 3000, 3000]);
    expect(timing.now() - t0).toBe(9000);
  });

  it('arXiv error entries, plain-text throttling and XML with entities are one line each, nothing written', async () => {
    const bomb = `<?xml version="1.0"?>\n<!DOCTYPE feed [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>\n<feed xmlns="http://www.w3.org/2005/Atom"><id>http://arxiv.org/api/x</id><entry><id>http://arxiv.org/abs/2410.00001v1</id><title>&b;</title></entry></feed>`;
    const answers: Record<string, string> = { 'cs.RO': ARXIV_ERROR, 'cs.LG': 'Rate exceeded.', 'cs.CV': bomb, 'cs.AI': ARXIV_FIXTURE.slice(0, 1500) };
    const arxiv = await serve((req, res) => {
      const cat = /^cat:(\S+)/.exec(req.query.get('search_query')!)![1]!;
      res.writeHead(200, { 'content-type': cat === 'cs.LG' ? 'text/plain' : 'application/atom+xml' });
      res.end(answers[cat]);
    });
    const proj = tmpProject();
    const app = open(proj, { PAPERBOY_SOURCES: 'arxiv:cs.RO,arxiv:cs.LG,arxiv:cs.CV,arxiv:cs.AI', PAPERBOY_ARXIV_URL: arxiv.url });
    const r = await fetchStep(app, '2024-10-24', 1, { timing: fakeTiming() });
    expect(r.days.map((d) => d.error)).toEqual([
      expect.stringMatching(/arXiv answered with an error: incorrect id format for 1234\.12345v/),
      expect.stringMatching(/not an arXiv Atom feed \(starts with "Rate exceeded\."\)/),
      expect.stringMatching(/XML declares a DOCTYPE or entities; refused/),
      expect.stringMatching(/XML not well-formed \(truncated\?\)/),
    ]);
    expect(readdirSync(proj.seedsDir)).toEqual([]);
  });
});
