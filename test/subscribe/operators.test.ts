// Address validation table and the operator CLI: add, import 10,000 rows with bad lines, export round-trip, list --json.
import { existsSync, writeFileSync } from 'node:fs';
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

describe('operators cannot silently take people back', () => {
  const setup = async () => {
    const proj = tmpProject();
    const { createApp } = await import('../../src/app.ts');
    const { parseConfig } = await import('../../src/config.ts');
    const { outboxMailer } = await import('../../src/deliver/mailer.ts');
    const app = createApp(parseConfig(proj.env), { mailer: outboxMailer(join(proj.dataDir, 'outbox')) });
    const left = app.subscribers.create({ email: 'left@example.org', topics: null, cadence: 'daily', weekday: 1, status: 'active', consent: { at: 't0', ip: null, source: 'web-form' } });
    app.subscribers.unsubscribe(left.id, '2026-11-20T00:00:00.000Z');
    const dead = app.subscribers.create({ email: 'dead@example.org', topics: null, cadence: 'daily', weekday: 1, status: 'active', consent: { at: 't0', ip: null, source: 'web-form' } });
    app.subscribers.markBounced(dead.id);
    return { proj, app, left, dead };
  };

  it('add --active keeps out an unsubscribed or bounced address and says so; --reactivate takes it back', async () => {
    const { proj, app, left, dead } = await setup();
    await app.close();
    const out = cli(['subscribers', 'add', 'left@example.org', '--active'], proj.env);
    expect(out.status, out.stderr).toBe(0);
    expect(out.stdout.trim()).toBe('left@example.org: unsubscribed here, kept out (--reactivate to ask them again by email, --active --reactivate to take it back)');
    // Without --active too: an operator's add is not the person asking, so no confirmation goes out.
    const plain = cli(['subscribers', 'add', 'left@example.org'], proj.env);
    expect(plain.stdout.trim()).toMatch(/^left@example\.org: unsubscribed here, kept out/);
    expect(existsSync(join(proj.dataDir, 'outbox'))).toBe(false);
    const { createApp } = await import('../../src/app.ts');
    const { parseConfig } = await import('../../src/config.ts');
    const again = createApp(parseConfig(proj.env));
    try {
      expect(again.subscribers.status(left.id)).toBe('unsubscribed');
      const { addSubscriberReport } = await import('../../src/commands/subscribers.ts');
      expect(await addSubscriberReport(again, 'dead@example.org', { active: true })).toMatchObject({ action: 'kept-out', status: 'bounced' });
      expect(again.subscribers.history(dead.id)!.bounceCount).toBe(2);
      const back = await addSubscriberReport(again, 'left@example.org', { active: true, reactivate: true });
      expect(back).toMatchObject({ action: 'reactivated', status: 'active' });
      expect(again.subscribers.consent(left.id)).toMatchObject({ source: 'cli --reactivate' });
      expect(again.subscribers.history(left.id)!.unsubscribedAt).toBe('2026-11-20T00:00:00.000Z');
    } finally {
      await again.close();
    }
  });

  it('import --active skips and reports them; --reactivate takes them back', async () => {
    const { app, left, dead } = await setup();
    try {
      const { importSubscribers, formatImport } = await import('../../src/commands/subscribers.ts');
      const csv = 'email,topics,cadence\nleft@example.org,,daily\ndead@example.org,,daily\nnew@example.org,,weekly\n';
      const r = await importSubscribers(app, csv, { active: true });
      expect(r).toMatchObject({ added: 1, updated: 0, reactivated: 0 });
      expect(r.keptOut).toEqual([
        { line: 2, email: 'left@example.org', status: 'unsubscribed' },
        { line: 3, email: 'dead@example.org', status: 'bounced' },
      ]);
      expect(formatImport(r)).toContain('line 2: left@example.org: unsubscribed here, kept out');
      expect([app.subscribers.status(left.id), app.subscribers.status(dead.id)]).toEqual(['unsubscribed', 'bounced']);
      // Without --active the same: kept out, and nobody who left is mailed a confirmation.
      const plain = await importSubscribers(app, 'email,topics,cadence\nleft@example.org,robotics,weekly\n', { active: false });
      expect(plain).toMatchObject({ confirmationsSent: 0, keptOut: [{ line: 2, email: 'left@example.org', status: 'unsubscribed' }] });
      expect(app.subscribers.get(left.id)).toMatchObject({ topics: null, cadence: 'daily' });
      const back = await importSubscribers(app, csv, { active: true, reactivate: true });
      expect(back).toMatchObject({ reactivated: 2, keptOut: [] });
      expect([app.subscribers.status(left.id), app.subscribers.status(dead.id)]).toEqual(['active', 'active']);
    } finally {
      await app.close();
    }
  });

  it('add and remove --json; export has weekday and status, and import reads both (the 3-column file still works)', async () => {
    const { app, left } = await setup();
    try {
      const { addSubscriber, removeSubscriber, exportSubscribers, importSubscribers } = await import('../../src/commands/subscribers.ts');
      expect(JSON.parse(await addSubscriber(app, 'w@example.org', { active: true, cadence: 'weekly', weekday: 'friday', json: true }))).toEqual({
        email: 'w@example.org',
        status: 'active',
        action: 'activated',
        confirmationSent: null,
        message: 'w@example.org: active (opt-in skipped with --active: you vouch for this address)',
      });
      expect(JSON.parse(await addSubscriber(app, 'p@example.org', { json: true }))).toMatchObject({ status: 'pending', action: 'created', confirmationSent: true });
      expect(JSON.parse(removeSubscriber(app, 'left@example.org', { json: true }))).toEqual({ email: 'left@example.org', action: 'unchanged', status: 'unsubscribed' });
      expect(removeSubscriber(app, 'left@example.org', {})).toBe('left@example.org: already unsubscribed');
      const csv = exportSubscribers(app);
      expect(csv).toBe('email,topics,cadence,weekday,status\nw@example.org,,weekly,friday,active\np@example.org,,daily,monday,pending\n');
      expect(JSON.parse(removeSubscriber(app, 'p@example.org', { purge: true, json: true }))).toEqual({ email: 'p@example.org', action: 'deleted', status: null });
      expect(app.subscribers.status(left.id)).toBe('unsubscribed');

      const proj2 = tmpProject();
      const { createApp } = await import('../../src/app.ts');
      const { parseConfig } = await import('../../src/config.ts');
      const { outboxMailer } = await import('../../src/deliver/mailer.ts');
      const other = createApp(parseConfig(proj2.env), { mailer: outboxMailer(join(proj2.dataDir, 'outbox')) });
      try {
        const r = await importSubscribers(other, `${csv}gone@example.org,,daily,,unsubscribed\nbad@example.org,,daily,someday,\n`, { active: true });
        expect(r).toMatchObject({ added: 3, confirmationsSent: 1, keptOut: [{ line: 4, email: 'gone@example.org', status: 'unsubscribed' }] });
        expect(r.errors).toEqual([{ line: 5, reason: expect.stringMatching(/^weekday must be one of/) }]);
        // A pending row stays pending (it never confirmed), even with --active; the opt-out is kept.
        expect(other.subscribers.list().map((s) => [s.email, s.status, s.weekday])).toEqual([
          ['w@example.org', 'active', 5],
          ['p@example.org', 'pending', 1],
          ['gone@example.org', 'unsubscribed', 1],
        ]);
        expect(exportSubscribers(other)).toBe(csv);
        expect(await importSubscribers(other, 'email,topics,cadence\nthree@example.org,,weekly\n', { active: true })).toMatchObject({ added: 1, errors: [] });
      } finally {
        await other.close();
      }
    } finally {
      await app.close();
    }
  });
});
