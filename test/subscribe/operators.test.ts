// Address validation table and the operator CLI: add, import 10,000 rows with bad lines, export round-trip, list --json.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkAddress } from '../../src/subscribe/email-address.ts';
import { cli, tmpProject } from '../helpers/tmp.ts';

describe('email addresses', () => {
  it.each([
    ['Ada@Example.ORG', 'ada@example.org'],
    ['  bob+news@mail.example.co.uk ', 'bob+news@mail.example.co.uk'],
    ['jürgen@bücher.de'.replace('jürgen', 'juergen'), 'juergen@xn--bcher-kva.de'],
  ])('accepts %j as %j', (input, out) => expect(checkAddress(input)).toEqual({ ok: true, email: out }));

  it.each(['a@b.c\r\nBcc: x@y.z', 'a@b.c\nBcc: x@y.z', 'no-at-sign', 'a@@b.org', 'a@b@c.org', '<a@b.org>', '"quoted"@b.org', 'a b@c.org', 'a@localhost', 'a@-bad-.org', 'a@1.2.3.4', '.dot@b.org', 'a..b@c.org', 'a@b.org,c@d.org', 'x'.repeat(65) + '@b.org', `a@${'x'.repeat(250)}.org`, '', 'a@b.org\u0000'])(
    'refuses %j',
    (input) => expect(checkAddress(input).ok).toBe(false),
  );
});

describe('paperboy subscribers', () => {
  it('imports 10,000 rows in one go, reports bad rows by line, keeps the good ones, and round-trips through export', () => {
    const proj = tmpProject();
    const rows = ['email,topics,cadence'];
    for (let i = 0; i < 10_000; i++) rows.push(i % 1000 === 7 ? `broken-${i},,daily` : `reader${i}@example.org,${i % 3 ? 'efficiency;vision' : ''},${i % 2 ? 'weekly' : 'daily'}`);
    rows.push('reader1@example.org,efficiency,daily'); // a duplicate: updates, never a second row
    rows.push('x@example.org,no-such-topic,daily');
    const file = join(proj.dir, 'in.csv');
    writeFileSync(file, rows.join('\n'));
    const started = Date.now();
    const r = cli(['subscribers', 'import', file, '--active', '--json'], proj.env);
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ rows: 10_002, added: 9_990, active: true });
    expect(report.errors).toHaveLength(11);
    expect(report.errors[0]).toEqual({ line: 9, reason: 'email address needs exactly one @' });
    expect(report.errors.at(-1)).toEqual({ line: 10_003, reason: expect.stringMatching(/^unknown topic\(s\) no-such-topic; known: /) });
    expect(Date.now() - started).toBeLessThan(30_000); // seconds, not minutes, even on a busy machine
    const list = JSON.parse(cli(['subscribers', 'list', '--json'], proj.env).stdout) as Record<string, unknown>[];
    expect(list).toHaveLength(9_990);
    // The later duplicate row updated the first one.
    expect(list[1]).toMatchObject({ email: 'reader1@example.org', status: 'active', topics: ['efficiency'], cadence: 'daily' });
    for (const key of ['email', 'status', 'topics', 'cadence']) expect(list[0]).toHaveProperty(key);
    const exported = cli(['subscribers', 'export'], proj.env).stdout;
    const again = tmpProject();
    writeFileSync(join(again.dir, 'out.csv'), exported);
    expect(JSON.parse(cli(['subscribers', 'import', join(again.dir, 'out.csv'), '--active', '--json'], again.env).stdout)).toMatchObject({ added: 9_990, errors: [] });
    expect(cli(['subscribers', 'export'], again.env).stdout).toBe(exported);
  });

  it('add without --active sends a confirmation and says so; a header-smuggling address is refused in one line', () => {
    const proj = tmpProject();
    const add = cli(['subscribers', 'add', 'new@example.org', '--topics', 'efficiency'], proj.env);
    expect(add.stdout.trim()).toBe('new@example.org: pending; confirmation email sent');
    const active = cli(['subscribers', 'add', 'ops@example.org', '--active'], proj.env);
    expect(active.stdout).toMatch(/active \(opt-in skipped with --active/);
    const bad = cli(['subscribers', 'add', 'a@b.c\r\nBcc: x@y.z'], proj.env);
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    const unknown = cli(['subscribers', 'add', 'z@example.org', '--topics', 'nope'], proj.env);
    expect(unknown.stderr).toMatch(/unknown topic\(s\) nope; known: language-models/);
  });
});
