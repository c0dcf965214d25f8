// The operator's rules, the same for `subscribers add` and `import`: choices on active rows, --reactivate, the status column.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.ts';
import { addSubscriberReport, importSubscribers } from '../../src/commands/subscribers.ts';
import { parseConfig } from '../../src/config.ts';
import { outboxMailer, type Outgoing } from '../../src/deliver/mailer.ts';
import { tmpProject } from '../helpers/tmp.ts';

const apps: App[] = [];
afterEach(async () => {
  for (const a of apps.splice(0)) await a.close();
});

const NOW = new Date('2026-11-24T07:00:00Z');
const HEADER = 'email,topics,cadence,weekday,status\n';

function setup() {
  const proj = tmpProject();
  const sent: Outgoing[] = [];
  const outbox = outboxMailer(join(proj.dataDir, 'outbox'));
  const app = createApp(parseConfig(proj.env), { now: () => NOW, mailer: { ...outbox, send: (m) => (sent.push(m), outbox.send(m)) } });
  apps.push(app);
  const row = (email: string, status: 'active' | 'pending') =>
    app.subscribers.create({ email, topics: null, cadence: 'daily', weekday: 1, status, consent: { at: '2026-11-01T00:00:00.000Z', ip: '192.0.2.1', source: 'web-form' } });
  const left = (email: string) => {
    const s = row(email, 'active');
    app.subscribers.unsubscribe(s.id, '2026-11-20T00:00:00.000Z');
    return s;
  };
  return { app, sent, row, left };
}

describe('an active address', () => {
  it('takes the operator\'s topics and cadence alike from add (without --active) and import', async () => {
    const { app, sent, row } = setup();
    const a = row('a@example.org', 'active');
    const b = row('b@example.org', 'active');
    const added = await addSubscriberReport(app, 'a@example.org', { topics: 'robotics', cadence: 'weekly' });
    expect(added).toMatchObject({ action: 'already-active', status: 'active', confirmationSent: null, message: 'a@example.org: already active; preferences updated' });
    const imported = await importSubscribers(app, `${HEADER}b@example.org,robotics,weekly,,\n`);
    expect(imported).toMatchObject({ unchanged: 1, added: 0, updated: 0, confirmationsSent: 0, errors: [] });
    const choice = (id: number) => {
      const { topics, cadence, weekday, status, confirmedAt } = app.subscribers.get(id)!;
      return { topics, cadence, weekday, status, confirmedAt };
    };
    expect(choice(a.id)).toEqual({ topics: ['robotics'], cadence: 'weekly', weekday: 1, status: 'active', confirmedAt: '2026-11-01T00:00:00.000Z' });
    expect(choice(b.id)).toEqual(choice(a.id));
    // The consent in force stays the person's own; the operator's request is noted.
    expect(app.subscribers.consent(a.id)).toMatchObject({ source: 'web-form' });
    expect([app.subscribers.request(a.id)!.source, app.subscribers.request(b.id)!.source]).toEqual(['cli', 'import']);
    expect(sent).toEqual([]);
  });

  it('a pending row activated by the operator gets the file\'s choice, consent and request in one write', async () => {
    const { app, row } = setup();
    const p = row('p@example.org', 'pending');
    expect(await importSubscribers(app, `${HEADER}p@example.org,robotics,weekly,friday,\n`, { active: true })).toMatchObject({ updated: 1, confirmationsSent: 0 });
    expect(app.subscribers.get(p.id)).toMatchObject({ status: 'active', topics: ['robotics'], cadence: 'weekly', weekday: 5, confirmedAt: NOW.toISOString() });
    const operator = { at: NOW.toISOString(), ip: null, source: 'import --active' };
    expect([app.subscribers.consent(p.id), app.subscribers.request(p.id)]).toEqual([operator, operator]);
  });
});

describe('--reactivate', () => {
  it('alone asks an unsubscribed address again by email (still unsubscribed until confirmed), for add and import alike', async () => {
    const { app, sent, left } = setup();
    const x = left('x@example.org');
    const y = left('y@example.org');
    const added = await addSubscriberReport(app, 'x@example.org', { reactivate: true, topics: 'robotics' });
    expect(added).toMatchObject({ action: 'requested', status: 'unsubscribed', confirmationSent: true, message: 'x@example.org: unsubscribed until confirmed; confirmation email sent' });
    const imported = await importSubscribers(app, `${HEADER}y@example.org,robotics,daily,,\n`, { reactivate: true });
    expect(imported).toMatchObject({ updated: 1, reactivated: 0, confirmationsSent: 1, keptOut: [], active: false });
    expect(sent.map((m) => m.to)).toEqual(['x@example.org', 'y@example.org']);
    for (const s of [x, y]) {
      expect(app.subscribers.get(s.id)).toMatchObject({ status: 'unsubscribed', topics: ['robotics'] });
      expect(app.subscribers.history(s.id)!.unsubscribedAt).toBe('2026-11-20T00:00:00.000Z');
    }
    // A bounced address gets no confirmation even so.
    const dead = left('dead@example.org');
    app.subscribers.markBounced(dead.id);
    expect(await addSubscriberReport(app, 'dead@example.org', { reactivate: true })).toMatchObject({ action: 'bounced', confirmationSent: null });
    expect(sent).toHaveLength(2);
  });

  it('with --active takes them back without mail, for add and import alike', async () => {
    const { app, sent, left } = setup();
    const x = left('x@example.org');
    const y = left('y@example.org');
    expect(await addSubscriberReport(app, 'x@example.org', { active: true, reactivate: true })).toMatchObject({ action: 'reactivated', status: 'active' });
    expect(await importSubscribers(app, `${HEADER}y@example.org,,daily,,\n`, { active: true, reactivate: true })).toMatchObject({ reactivated: 1, updated: 1 });
    expect([app.subscribers.status(x.id), app.subscribers.status(y.id)]).toEqual(['active', 'active']);
    expect(sent).toEqual([]);
  });
});

describe('import, row by row', () => {
  it('a bad status is reported by line and the row skipped; bounced or unsubscribed stop an active or pending row', async () => {
    const { app, row } = setup();
    const a = row('a@example.org', 'active');
    const p = row('p@example.org', 'pending');
    app.subscribers.setConfirmToken(p.id, 'hash-p', '2099-01-01T00:00:00.000Z');
    const csv = `${HEADER}x@example.org,,daily,,gone\na@example.org,,daily,,bounced\np@example.org,,daily,,unsubscribed\n`;
    const r = await importSubscribers(app, csv, { active: true });
    expect(r.errors).toEqual([{ line: 2, reason: 'status must be one of pending, active, unsubscribed, bounced, not "gone"' }]);
    expect(app.subscribers.findByEmail('x@example.org')).toBeNull();
    expect(r).toMatchObject({ rows: 3, added: 0, updated: 2, confirmationsSent: 0 });
    expect(r.keptOut).toEqual([
      { line: 3, email: 'a@example.org', status: 'bounced' },
      { line: 4, email: 'p@example.org', status: 'unsubscribed' },
    ]);
    expect(app.subscribers.status(a.id)).toBe('bounced');
    expect(app.subscribers.history(a.id)!.bounceCount).toBe(2);
    expect(app.subscribers.get(p.id)).toMatchObject({ status: 'unsubscribed' });
    expect(app.subscribers.history(p.id)!.unsubscribedAt).toBe(NOW.toISOString());
    expect(app.subscribers.confirmToken('hash-p')!.revokedAt).toBe(NOW.toISOString()); // its live link no longer confirms
  });

  it('one confirmation per address, as the last line for it left the row; none when a later line opts it out', async () => {
    const { app, sent } = setup();
    const csv = `${HEADER}n@example.org,,daily,,\nn@example.org,robotics,weekly,friday,\no@example.org,,daily,,\no@example.org,,daily,,unsubscribed\n`;
    const r = await importSubscribers(app, csv);
    expect(r).toMatchObject({ added: 2, updated: 2, confirmationsSent: 1 });
    expect(sent.map((m) => m.to)).toEqual(['n@example.org']);
    expect(sent[0]!.raw).toMatch(/weekly/i);
    expect(app.subscribers.findByEmail('o@example.org')!.status).toBe('unsubscribed');
  });
});
