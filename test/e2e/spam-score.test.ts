// A real mail filter reads a digest as delivered: SpamAssassin (Debian's, local rules only) scores it well under its spam line.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATE, setupDelivery } from '../deliver/setup.ts';
import { cli } from '../helpers/tmp.ts';

const hasSpamAssassin = spawnSync('spamassassin', ['--version']).status === 0;
if (!hasSpamAssassin) console.warn('skipped the SpamAssassin check: spamassassin is not installed (apt-get install spamassassin)');

/** Rules that would mean a malformed or suspicious message, whatever the total. */
const MUST_NOT_FIRE = ['MIME_HTML_ONLY', 'MISSING_MID', 'MISSING_DATE', 'MISSING_FROM', 'MISSING_SUBJECT', 'MIME_QP_LONG_LINE', 'HTML_MIME_NO_HTML_TAG', 'MPART_ALT_DIFF', 'HTML_IMAGE_ONLY_08', 'INVALID_DATE', 'MIME_BOUND_DIGITS_15', 'BAD_ENC_HEADER', 'SUBJ_ALL_CAPS', 'FROM_EXCESS_BASE64', 'T_REMOTE_IMAGE',
  // A hidden preheader coloured like its background reads as text hidden from the reader.
  'HTML_FONT_LOW_CONTRAST'];

describe.skipIf(!hasSpamAssassin)('SpamAssassin on a delivered digest', () => {
  it('scores under 2 of the 5 points it calls spam, with no malformed-message rule firing', async () => {
    const { app, env } = await setupDelivery(1, null);
    await app.close();
    const sent = cli(['send', '--date', DATE], env);
    expect(sent.status, sent.stderr).toBe(0);
    const dir = join(env.PAPERBOY_DATA_DIR!, 'outbox', DATE);
    const raw = readFileSync(join(dir, readdirSync(dir).find((f) => f.endsWith('.eml'))!));
    // -L: local tests only (no DNS or network lookups); -t: report what fired.
    const r = spawnSync('spamassassin', ['-L', '-t'], { input: raw, encoding: 'utf8', timeout: 120_000, maxBuffer: 64 * 1024 * 1024 });
    const report = r.stdout.slice(r.stdout.indexOf('Content analysis details'));
    const score = Number(/Content analysis details:\s+\((-?[\d.]+) points/.exec(report)?.[1]);
    const fired = [...report.matchAll(/^\s*-?[\d.]+\s+([A-Z0-9_]+)\s/gm)].map((m) => m[1]!);
    expect(Number.isFinite(score), report).toBe(true);
    expect(score, report).toBeLessThan(2);
    for (const rule of MUST_NOT_FIRE) expect(fired, report).not.toContain(rule);
  });
});
