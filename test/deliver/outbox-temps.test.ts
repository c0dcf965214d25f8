// The outbox mailer removes torn temp files a killed sender left, and leaves a live writer's alone.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { outboxMailer } from '../../src/deliver/mailer.ts';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

test('a send removes the temp files of dead writers in its folder, keeps a live writer’s and the messages', async () => {
  const root = mkdtempSync(join(tmpdir(), 'pb-outbox-'));
  dirs.push(root);
  const day = join(root, '2026-12-07');
  mkdirSync(day, { recursive: true });
  const dead = spawnSync(process.execPath, ['-e', '0']).pid!; // exited: its pid names no running process
  const torn = join(day, `17.eml.${dead}.tmp`);
  const live = join(day, `18.eml.${process.ppid}.tmp`); // our parent is running
  writeFileSync(torn, 'From: half a mess');
  writeFileSync(live, 'being written');
  writeFileSync(join(day, '16.eml'), 'whole');

  const mailer = outboxMailer(root);
  const outcome = await mailer.send({ from: 'a@example.org', to: 'b@example.org', raw: 'Subject: hi\r\n\r\nbody\r\n', outboxName: '2026-12-07/17.eml' });

  expect(outcome.ok).toBe(true);
  expect(existsSync(torn)).toBe(false);
  expect(existsSync(live)).toBe(true);
  expect(readFileSync(join(day, '16.eml'), 'utf8')).toBe('whole');
  expect(readFileSync(join(day, '17.eml'), 'utf8')).toContain('Subject: hi');
});
