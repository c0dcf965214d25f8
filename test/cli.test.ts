// The paperboy command as users run it: exit codes, --json output, --help everywhere, config errors in one line.
import { writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCli } from '../src/cli.ts';
import { cli, tmpProject } from './helpers/tmp.ts';

describe('paperboy CLI', () => {
  it('ingest --json then papers --json give the stored papers with their fields', () => {
    const proj = tmpProject({ copySeeds: true });
    const ingest = cli(['ingest', '--json'], proj.env);
    expect(ingest.status).toBe(0);
    expect(JSON.parse(ingest.stdout)).toMatchObject({ filesIngested: 4, papersNew: 516 });
    const papers = cli(['papers', '--json'], proj.env);
    expect(papers.status).toBe(0);
    const list = JSON.parse(papers.stdout) as Record<string, unknown>[];
    expect(list).toHaveLength(516);
    for (const key of ['id', 'title', 'abstract', 'arxivId', 'authors', 'upvotes', 'publishedAt', 'extra', 'readableTitle', 'firstSeen', 'seedFile', 'topics', 'matches']) expect(list[0]).toHaveProperty(key);
    expect(list.find((p) => String(p.title).includes('H$_2$O'))!.readableTitle).toMatch(/^H₂O/);
    const mamba = list.find((p) => String(p.title).startsWith('Vision Mamba'))!;
    expect(mamba.topics).toEqual(['vision', 'architectures', 'systems']);
    expect((mamba.matches as { slug: string; keywords: string[] }[]).find((m) => m.slug === 'architectures')!.keywords).toContain('Mamba');
    // --explain takes a part of a title when only one paper has it, and names the candidates when several do.
    const explained = cli(['topics', '--json', '--explain', 'vision MAMBA'], proj.env);
    expect(explained.status, explained.stderr).toBe(0);
    expect(JSON.parse(explained.stdout)).toMatchObject({ id: mamba.id, primary: 'vision' });
    const ambiguous = cli(['topics', '--explain', 'diffusion'], proj.env);
    expect(ambiguous.status).not.toBe(0);
    expect(ambiguous.stderr).toMatch(/^paperboy: "diffusion" is in the titles of more than 5 papers \(.*\); give more of the title or an id\n$/);
    const future = cli(['papers', '--json', '--since', '2999-01-01'], proj.env);
    expect(JSON.parse(future.stdout)).toEqual([]);
  });

  it('a bad setting stops with one line per bad value and exit code 78', () => {
    const proj = tmpProject();
    writeFileSync(join(proj.dir, 'file.txt'), 'a file where a folder should be');
    const r = cli(['ingest'], { ...proj.env, PAPERBOY_TZ: 'Mars/Olympus', SMTP_URL: 'http://x' });
    expect(r.status).toBe(78);
    expect(r.stderr.trim().split('\n')).toEqual([
      'paperboy: PAPERBOY_TZ: must be an IANA time zone such as Europe/Berlin or UTC',
      'SMTP_URL: must look like smtp://user:pass@host:587 or smtps://host:465',
    ]);
    // A data folder that cannot exist is a setting problem too, not a crash.
    const bad = cli(['ingest'], { ...proj.env, PAPERBOY_DATA_DIR: join(proj.seedsDir, '..', 'file.txt', 'data') }, proj.dir);
    expect({ status: bad.status, stderr: bad.stderr }).toEqual({ status: 78, stderr: `paperboy: PAPERBOY_DATA_DIR: cannot create ${join(proj.dir, 'file.txt', 'data')} (ENOTDIR)\n` });
  });

  it('a bad argument is a usage error (exit 2), not a stack trace', () => {
    const proj = tmpProject();
    const r = cli(['papers', '--since', 'yesterday'], proj.env);
    expect(r.status).toBe(2);
    // Unknown options and commands, and a port out of range, exit 2 as the README says.
    for (const args of [['run', '--bogus'], ['nosuch'], ['serve', '--port', '99999'], ['serve', '--port', 'x']]) {
      const bad = cli(args, proj.env);
      expect({ args, status: bad.status }).toEqual({ args, status: 2 });
      expect(bad.stderr).toMatch(/^error: /);
    }
    expect(r.stderr).toMatch(/expected a date YYYY-MM-DD/);
    expect(r.stderr).not.toMatch(/at .*\.ts:\d+/);
    // A date that does not exist is not quietly rolled over into March.
    expect(cli(['papers', '--since', '2024-02-30'], proj.env).stderr).toMatch(/expected a date YYYY-MM-DD/);
    expect(cli(['papers', '--since', '2024-02-29'], proj.env).status).toBe(0);
  });

  it('serve on a port that is in use stops in one line with exit 78; send for a date without an edition exits 3', async () => {
    const proj = tmpProject();
    const taken = createServer();
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
    try {
      const port = String((taken.address() as AddressInfo).port);
      const r = cli(['serve', '--host', '127.0.0.1', '--port', port, '--no-schedule'], proj.env);
      expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 78, stderr: `paperboy: cannot listen on 127.0.0.1:${port}: the port is in use (set PORT or --port)\n` });
    } finally {
      taken.close();
    }
    const none = cli(['send', '--date', '2026-01-01'], proj.env);
    expect({ status: none.status, stderr: none.stderr }).toEqual({ status: 3, stderr: 'paperboy: no edition for 2026-01-01; run `paperboy run --date 2026-01-01` first\n' });
  });

  it('every command has --help', () => {
    const program = buildCli();
    const names = program.commands.map((c) => c.name());
    expect(names).toEqual(expect.arrayContaining(['run', 'ingest', 'papers', 'topics', 'preview', 'send', 'serve', 'subscribers', 'config']));
    const flat = (s: string) => s.replace(/\s+/g, ' ');
    const all = program.commands.flatMap((c) => [c, ...c.commands]);
    expect(all.length).toBeGreaterThan(12);
    for (const c of all) expect(flat(c.helpInformation())).toContain(flat(c.description()));
    const real = cli(['send', '--help'], {});
    expect(real.status).toBe(0);
    expect(real.stdout).toContain('--resend-failed');
  });
});
