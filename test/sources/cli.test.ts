// `paperboy fetch` and `paperboy enrich` as a user runs them: real child processes against a local server.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cli, FIXTURES, spawnCli, tmpProject } from '../helpers/tmp.ts';
import { DUMP, fakeArxiv } from './arxiv-fake.ts';
import { fakeServer, json, type FakeServer } from './fakes.ts';

const servers: FakeServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

describe('paperboy fetch / enrich (CLI)', () => {
  it('fetch --json writes the seed file and reports per source and day; papers --json then shows upvotes, authors, categories, links', async () => {
    const fixture = readFileSync(join(FIXTURES, 'hf-daily-papers-2024-10-25.json'), 'utf8');
    const hf = await fakeServer((req, res) => json(res, req.query.get('date') === '2024-10-25' ? fixture : '[]'));
    servers.push(hf);
    const proj = tmpProject();
    const env = { ...proj.env, PAPERBOY_SOURCES: 'hf', PAPERBOY_HF_URL: hf.url, PAPERBOY_CONTACT: 'ops@lab.example' };
    const run = spawnCli(['fetch', '--date', '2024-10-25', '--days', '1', '--json'], env);
    expect(await run.exited).toBe(0);
    const report = JSON.parse(run.stdout()) as { days: { source: string; date: string; status: string; written: string[] }[] };
    expect(report.days).toEqual([expect.objectContaining({ source: 'hf', date: '2024-10-25', status: 'written', written: ['hf/2024-10-25.json'] })]);
    expect(existsSync(join(proj.seedsDir, 'hf/2024-10-25.json'))).toBe(true);
    expect(hf.seen[0]!.headers['user-agent']).toMatch(/^paperboy\/[\d.]+ \(ops@lab\.example\)$/);
    expect((report as unknown as { warnings: string[] }).warnings).toEqual([]);

    expect(cli(['ingest'], env).status).toBe(0);
    const papers = JSON.parse(cli(['papers', '--json'], env).stdout) as Record<string, unknown>[];
    const p = papers.find((x) => x.id === '2410.17243')!;
    expect(p).toMatchObject({ upvotes: 64, categories: [], links: expect.arrayContaining([{ label: 'PDF', url: 'https://arxiv.org/pdf/2410.17243' }]) });
    expect((p.authors as string[]).length).toBe(9);
  });

  it('fetch without sources says so and touches nothing; a failing source is a line, not a crash', async () => {
    const proj = tmpProject();
    const none = cli(['fetch'], proj.env);
    expect(none.status).toBe(0);
    expect(none.stdout).toMatch(/no sources configured \(PAPERBOY_SOURCES is empty\)/);

    const hf = await fakeServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html><head><title>502 Bad Gateway</title></head></html>');
    });
    servers.push(hf);
    const run = spawnCli(['fetch', '--days', '1'], { ...proj.env, PAPERBOY_SOURCES: 'hf', PAPERBOY_HF_URL: hf.url });
    expect(await run.exited).toBe(0);
    expect(run.stdout()).toMatch(/hf\s+\d{4}-\d{2}-\d{2}\s+FAILED: hf \S+: answered an HTML page instead of JSON \(title: 502 Bad Gateway\)/);
  });

  it('enrich --json reports what it found; --help and bad arguments behave', async () => {
    const arxiv = await fakeArxiv();
    servers.push(arxiv);
    const proj = tmpProject();
    // One paper, so one request: arXiv's three seconds between requests would be real waits in a child process.
    writeFileSync(join(proj.seedsDir, 'dump.txt'), DUMP.split('A Paper Nobody')[0]!);
    const env = { ...proj.env, PAPERBOY_ARXIV_URL: arxiv.url };
    expect(cli(['ingest'], env).status).toBe(0);
    const run = spawnCli(['enrich', '--json'], env);
    expect(await run.exited).toBe(0);
    expect(JSON.parse(run.stdout())).toMatchObject({ byTitle: { asked: 1, found: 1, missing: 0 }, requests: 1 });
    expect(cli(['enrich', '--help'], env).stdout).toMatch(/--limit <n>/);
    expect(cli(['fetch', '--days', '0'], env).status).toBe(2);
  }, 30_000);
});
