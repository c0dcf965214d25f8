// `paperboy serve` as a user starts it: it serves what runs published and rewrites none of it, whatever its own URL.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, spawnCli, tmpProject, type TmpProject } from '../helpers/tmp.ts';

/** Every file of the site with its bytes and mtime. */
function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const rel of readdirSync(dir, { recursive: true }).map(String).sort()) {
    const path = join(dir, rel);
    if (statSync(path).isFile()) out.set(rel, `${statSync(path).mtimeMs}:${readFileSync(path, 'utf8')}`);
  }
  return out;
}

/** Starts `serve --no-schedule` on a free port, waits until it listens, fetches a page, stops it with SIGTERM. */
async function serveOnce(proj: TmpProject, env: Record<string, string>): Promise<{ status: number; stderr: string }> {
  const child = spawnCli(['serve', '--no-schedule', '--port', '0', '--host', '127.0.0.1'], { ...proj.env, ...env });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setInterval(() => {
        const m = / at (http:\/\/127\.0\.0\.1:\d+)/.exec(child.stderr());
        if (m) {
          clearInterval(timer);
          resolve(m[1]!);
        }
      }, 50);
      void child.exited.then((code) => {
        clearInterval(timer);
        reject(new Error(`serve exited (${code}): ${child.stderr()}`));
      });
    });
    const r = await fetch(`${url}/feeds/all.xml`);
    await r.arrayBuffer();
    return { status: r.status, stderr: child.stderr() };
  } finally {
    child.child.kill('SIGTERM');
    await child.exited;
  }
}

describe('paperboy serve on start', () => {
  it('leaves a published site alone, even with another PAPERBOY_BASE_URL', async () => {
    const proj = tmpProject({ copySeeds: true });
    const env = { PAPERBOY_BASE_URL: 'https://papers.example.org' };
    expect(cli(['run', '--no-send'], { ...proj.env, ...env }).status).toBe(0);
    const site = join(proj.dataDir, 'site');
    const before = snapshot(site);
    expect(before.get('feeds/all.xml')).toContain('https://papers.example.org/feeds/all.xml');

    const served = await serveOnce(proj, { PAPERBOY_BASE_URL: 'http://other.example:9999' });
    expect(served.status).toBe(200);
    expect(snapshot(site)).toEqual(before);
  }, 240_000);

  it('builds the site once when the data folder has none yet', async () => {
    const proj = tmpProject();
    expect(existsSync(join(proj.dataDir, 'site/index.html'))).toBe(false);
    const served = await serveOnce(proj, {});
    expect(served.status).toBe(200);
    expect(served.stderr).toMatch(/no site in .* yet: built it once/);
    expect(existsSync(join(proj.dataDir, 'site/index.html'))).toBe(true);
  }, 240_000);
});
