// A seed file or a subscriber CSV cannot act on the operator's terminal: what reports quote from them
// (JSON.parse's snippet of the input, an unknown topic, a cadence) shows controls as \u escapes.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tmpProject } from '../helpers/tmp.ts';

// ESC, BEL, C1 CSI and a bidi override: what retitles, repaints or reorders a terminal.
const ACTIVE = /[\u001b\u0007\u009b\u202e]/;

describe('reports that quote hostile input', () => {
  it('ingest and subscribers import print escape sequences as text', () => {
    const proj = tmpProject();
    // Broken JSON whose first bad token is an OSC "set window title" sequence: JSON.parse quotes it.
    writeFileSync(join(proj.seedsDir, 'evil.json'), '[{"paper":{"id":"2411.1","title":"A"}}, \u001b]0;pwned\u0007 \u009b2J\u202e');
    const ingest = cli(['ingest'], proj.env);
    expect(ingest.status, ingest.stderr).toBe(0);
    expect(ingest.stdout).toContain('evil.json');
    expect(ingest.stdout).toContain('\\u001b]0;pwned\\u0007');
    expect(ACTIVE.exec(ingest.stdout + ingest.stderr)).toBeNull();
    const json = cli(['ingest', '--retry-rejected', '--json'], proj.env);
    expect(ACTIVE.exec(json.stdout)).toBeNull();

    const csv = join(proj.dir, 'list.csv');
    writeFileSync(csv, 'email,topics,cadence,weekday,status\na@example.org,\u001b]0;pwned\u0007,daily\nb@example.org,,\u009b2Jweekly\nc@example.org,,daily,\u202eday\nd@example.org,,daily,,\u001b[31m\n"e@example.org,\u001b[2J\n');
    const imp = cli(['subscribers', 'import', csv, '--active'], proj.env);
    expect(imp.status, imp.stderr).toBe(0);
    expect(imp.stdout).toMatch(/line 2: unknown topic\(s\) \\u001b\]0, pwned\\u0007/); // ";" separates topics
    expect(imp.stdout.match(/^ {2}line \d+:/gm)).toHaveLength(5);
    expect(ACTIVE.exec(imp.stdout + imp.stderr)).toBeNull();
  });
});
