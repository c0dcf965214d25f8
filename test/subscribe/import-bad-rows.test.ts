// A CSV row that is no CSV (a stray or unclosed quote) or holds bytes that are not UTF-8 costs that row only.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tmpProject } from '../helpers/tmp.ts';

describe('paperboy subscribers import with broken rows', () => {
  it('an unclosed quote, a stray quote and a non-UTF-8 byte are one line each; every other row is imported', () => {
    const proj = tmpProject();
    const file = join(proj.dir, 'list.csv');
    const rows = [
      'email,topics,cadence',
      'one@example.org,,daily',
      '"two@example.org,,daily', // unclosed: csv-parse would read to the end of the file
      'three@example.org,,"weekly"x', // text after a closing quote
      'fo"ur@example.org,,daily', // a quote inside a bare field
      '',
      'five@example.org,,weekly',
    ];
    writeFileSync(file, Buffer.concat([Buffer.from(rows.join('\r\n') + '\r\n', 'utf8'), Buffer.from('s\xefx@example.org,,daily\nseven@example.org,efficiency,\n', 'latin1')]));
    const r = cli(['subscribers', 'import', file, '--active', '--json'], proj.env);
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { rows: number; added: number; errors: { line: number; reason: string }[] };
    expect(report).toMatchObject({ rows: 7, added: 3 });
    expect(report.errors).toEqual([
      { line: 3, reason: expect.stringMatching(/^not a CSV row: Quote Not Closed/) },
      { line: 4, reason: expect.stringMatching(/^not a CSV row: Invalid Closing Quote/) },
      { line: 5, reason: expect.stringMatching(/^not a CSV row: Invalid Opening Quote/) },
      { line: 8, reason: 'holds bytes that are not valid UTF-8' },
    ]);
    const emails = (JSON.parse(cli(['subscribers', 'list', '--json'], proj.env).stdout) as { email: string }[]).map((s) => s.email).sort();
    expect(emails).toEqual(['five@example.org', 'one@example.org', 'seven@example.org']);
    // The plain report names each line once.
    writeFileSync(file, 'email,topics,cadence\n"eight@example.org,,daily\nnine@example.org,,daily\n');
    const plain = cli(['subscribers', 'import', file, '--active'], proj.env);
    expect(plain.status, plain.stderr).toBe(0);
    expect(plain.stdout).toMatch(/^2 rows: 1 added, .* 1 rejected$/m);
    expect(plain.stdout).toMatch(/^ {2}line 2: not a CSV row: Quote Not Closed/m);
  });

  it('a file whose header itself cannot be read is still one clear error', () => {
    const proj = tmpProject();
    const file = join(proj.dir, 'list.csv');
    writeFileSync(file, '"email,topics\none@example.org\n');
    const r = cli(['subscribers', 'import', file, '--active'], proj.env);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/CSV cannot be read: Quote Not Closed/);
  });
});
