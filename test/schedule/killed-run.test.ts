// A run killed part-way: what the next run finds must be whole, and what the killed one never wrote gets written.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.ts';
import { parseConfig } from '../../src/config.ts';
import { runOnce } from '../../src/schedule/run.ts';
import { tmpProject } from '../helpers/tmp.ts';

const apps: App[] = [];
afterEach(async () => {
  for (const a of apps.splice(0)) await a.close();
});

describe('a run killed after building its edition', () => {
  it('the next run writes the preview the killed one never wrote (it finds nothing new otherwise)', async () => {
    const proj = tmpProject({ copySeeds: true });
    const app = createApp(parseConfig(proj.env), { now: () => new Date('2026-11-24T07:00:00Z') });
    apps.push(app);
    const first = await runOnce(app, { send: false, trigger: 'cli' });
    expect(first.edition).toMatchObject({ created: true });
    // The state SIGKILL between the edition's commit and the preview's files leaves.
    const dir = join(proj.dataDir, 'preview');
    rmSync(dir, { recursive: true });
    const second = await runOnce(app, { send: false, trigger: 'cli' });
    expect(second.edition).toMatchObject({ created: false, added: 0 });
    expect(second.preview).not.toBeNull();
    for (const ext of ['html', 'txt', 'eml']) expect(existsSync(join(dir, `2026-11-24.${ext}`))).toBe(true);
    expect(readFileSync(join(dir, '2026-11-24.html'), 'utf8').trimEnd()).toMatch(/<\/html>$/);
    // And once it is there, a run with nothing new leaves it alone again.
    const third = await runOnce(app, { send: false, trigger: 'cli' });
    expect(third.preview).toBeNull();
  }, 60_000);
});
