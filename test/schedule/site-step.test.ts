// The site step renders only when something it reads changed: editions and their papers, topics.yaml, config, code.
import { copyFileSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.ts';
import { parseConfig } from '../../src/config.ts';
import { runOnce } from '../../src/schedule/run.ts';
import { publishSite } from '../../src/schedule/site-step.ts';
import { ROOT, tmpProject, type TmpProject } from '../helpers/tmp.ts';

const apps: App[] = [];
afterEach(async () => {
  for (const a of apps.splice(0)) await a.close();
});

function open(proj: TmpProject, env: Record<string, string> = {}): App {
  const app = createApp(parseConfig({ ...proj.env, ...env }), { now: () => new Date('2026-11-24T07:00:00Z') });
  apps.push(app);
  return app;
}

describe('site step', () => {
  it('skips rendering while nothing it reads has changed, and renders again when something does', async () => {
    const proj = tmpProject({ copySeeds: true });
    const topicsPath = join(proj.dir, 'topics.yaml');
    copyFileSync(join(ROOT, 'topics.yaml'), topicsPath);
    const env = { PAPERBOY_TOPICS: topicsPath };
    let app = open(proj, env);
    const first = await runOnce(app, { send: false, trigger: 'cli' });
    expect(first.site.written).toContain('feeds/all.xml');
    const site = (f: string) => join(proj.dataDir, 'site', f);

    // Unchanged inputs: not rendered at all, so even a hand edit stays (a render would have put the bytes back).
    writeFileSync(site('archive/index.html'), 'edited by hand');
    const same = await publishSite(app);
    expect(same).toMatchObject({ written: [], kept: [] });
    expect(same.unchanged).toBe(first.site.written.length);
    expect(readFileSync(site('archive/index.html'), 'utf8')).toBe('edited by hand');

    // A file gone: rendered again, and only the missing or different files written.
    rmSync(site('feeds/all.xml'));
    const missing = await publishSite(app);
    expect(missing.written.sort()).toEqual(['archive/index.html', 'feeds/all.xml']);
    expect(existsSync(site('feeds/all.xml'))).toBe(true);
    expect((await publishSite(app)).written).toEqual([]);

    // A paper of a published edition changed by a later listing (a longer abstract): its feeds change.
    const paper = app.editions.published()[0]!.papers.find((ep) => !/[\n$\\]/.test(ep.paper.abstract))!.paper;
    writeFileSync(join(proj.seedsDir, 'later.txt'), `Daily Papers\n${paper.title}\n${paper.abstract} A sentence the first listing cut off.\n`);
    const enriched = await runOnce(app, { send: false, trigger: 'cli' });
    expect(enriched.edition.created).toBe(false);
    expect(enriched.site.written).toContain('feeds/all.xml');
    expect(readFileSync(site('feeds/all.xml'), 'utf8')).toContain('A sentence the first listing cut off.');

    // topics.yaml edited (a comment changes its bytes, and that is enough): rendered again, the hand edit undone.
    writeFileSync(site('index.html'), 'edited by hand');
    expect((await publishSite(app)).written).toEqual([]);
    writeFileSync(topicsPath, readFileSync(topicsPath, 'utf8') + '\n# a comment\n');
    expect((await publishSite(app)).written).toEqual(['index.html']);

    // Another base URL: every link changes.
    await app.close();
    apps.splice(apps.indexOf(app), 1);
    app = open(proj, { ...env, PAPERBOY_BASE_URL: 'https://papers.example.org' });
    const moved = await publishSite(app);
    expect(moved.written).toContain('feeds/all.xml');
    expect(readFileSync(site('feeds/all.xml'), 'utf8')).toContain('https://papers.example.org/');
  });
});
