// The README's cron line, run exactly as written (in a copy of the project), does a whole run.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/tmp.ts';

describe('README', () => {
  it('the crontab line works as written', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const line = /```cron\n(.+)\n```/.exec(readme)![1]!;
    const command = line.split(/\s+/).slice(5).join(' ');
    expect(command).toMatch(/^cd \/srv\/paperboy && .*npx paperboy run >> data\/run\.log 2>&1$/);
    // /srv/paperboy stands for a checkout: a folder with the project's files.
    const dir = mkdtempSync(join(tmpdir(), 'paperboy-cron-'));
    for (const f of ['package.json', 'bin', 'src', 'templates', 'node_modules', 'topics.yaml', 'seeds']) symlinkSync(join(ROOT, f), join(dir, f));
    const r = spawnSync('/bin/sh', ['-c', command.replace('/srv/paperboy', dir)], { encoding: 'utf8', timeout: 120_000, env: { HOME: process.env.HOME ?? '/root' } });
    expect(r.status, r.stderr).toBe(0);
    const log = readFileSync(join(dir, 'data/run.log'), 'utf8');
    expect(log).toMatch(/edition \d{4}-\d{2}-\d{2}: 516 papers/);
    expect(log).toMatch(/feeds: {4}data\/site\/feeds\//);
  });
});
