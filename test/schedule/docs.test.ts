// The README's scheduling recipes: the cron line run as written, the systemd units verified, the workflow parsed.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { ROOT } from '../helpers/tmp.ts';

describe('README', () => {
  it('the crontab line works as written', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const line = /```cron\n(.+)\n```/.exec(readme)![1]!;
    const command = line.split(/\s+/).slice(5).join(' ');
    expect(command).toMatch(/^cd \/srv\/paperboy && .*npx paperboy run >> data\/run\.log 2>&1$/);
    // /srv/paperboy stands for a checkout: a folder with the project's files.
    const dir = mkdtempSync(join(tmpdir(), 'paperboy-cron-'));
    for (const f of ['package.json', 'bin', 'scripts', 'src', 'templates', 'node_modules', 'topics.yaml', 'seeds']) symlinkSync(join(ROOT, f), join(dir, f));
    const r = spawnSync('/bin/sh', ['-c', command.replace('/srv/paperboy', dir)], { encoding: 'utf8', timeout: 120_000, env: { HOME: process.env.HOME ?? '/root' } });
    expect(r.status, r.stderr).toBe(0);
    const log = readFileSync(join(dir, 'data/run.log'), 'utf8');
    expect(log).toMatch(/edition \d{4}-\d{2}-\d{2}: 516 papers/);
    expect(log).toMatch(/feeds: {4}data\/site\/feeds\//);
  });

  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const hasSystemd = spawnSync('systemd-analyze', ['--version']).status === 0;
  if (!hasSystemd) console.warn('skipped the systemd unit check: systemd-analyze is not installed (apt-get install systemd)');

  it.skipIf(!hasSystemd)('the systemd service, timer and daemon units pass systemd-analyze verify', () => {
    const units = [...readme.matchAll(/```ini\n([\s\S]+?)```/g)].map((m) => m[1]!);
    expect(units).toHaveLength(3);
    const dir = mkdtempSync(join(tmpdir(), 'paperboy-systemd-'));
    const names = ['paperboy.service', 'paperboy.timer', 'paperboy-serve.service'];
    // The units name /srv/paperboy and a paperboy user: point them at a real folder and user for the check.
    names.forEach((name, i) => writeFileSync(join(dir, name), units[i]!.replaceAll('/srv/paperboy', dir).replace(/^User=.*$/m, 'User=root')));
    expect(units[0]).toMatch(/^ExecStart=\/usr\/bin\/env node bin\/paperboy\.js run$/m);
    expect(units[2]).toMatch(/^ExecStart=\/usr\/bin\/env node bin\/paperboy\.js serve$/m);
    const r = spawnSync('systemd-analyze', ['verify', '--man=no', ...names.map((n) => join(dir, n))], { encoding: 'utf8', timeout: 60_000 });
    expect({ status: r.status, stderr: r.stderr.trim() }).toEqual({ status: 0, stderr: '' });
  });

  it('the GitHub Actions workflow parses and runs the same command, one run at a time', () => {
    const workflow = parseYaml(/```yaml\n([\s\S]+?)```/.exec(readme)![1]!) as {
      on: { schedule: { cron: string }[] };
      concurrency: { group: string };
      jobs: { run: { steps: { run?: string; uses?: string; if?: string }[] } };
    };
    expect(workflow.on.schedule[0]!.cron).toBe('0 7 * * *');
    expect(workflow.concurrency.group).toBe('paperboy');
    const steps = workflow.jobs.run.steps;
    expect(steps.map((s) => s.run).filter(Boolean)).toEqual(['npm ci', 'npx paperboy run']);
    // The data folder is saved even after a failed or paused run, so the ledger survives.
    expect(steps.find((s) => s.uses?.startsWith('actions/cache/save'))?.if).toBe('always()');
  });
});
