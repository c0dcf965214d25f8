// Subscriber ids are never reused and signed links are bound to their person: migration 004 on a real old store.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/store/db.ts';
import { subscribersRepo } from '../../src/store/subscribers.ts';
import { signToken } from '../../src/signed-links.ts';
import { cli, ROOT, tmpProject } from '../helpers/tmp.ts';
import { closeAll, world } from './world.ts';

afterEach(closeAll);

const MIGRATIONS = join(ROOT, 'src/store/migrations');

/** A store as version 3 left it, with a subscriber, a delivery and a confirmation token. */
function storeAtVersion3() {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  for (const f of readdirSync(MIGRATIONS).filter((f) => /^00[1-3]_/.test(f)).sort()) db.exec(readFileSync(join(MIGRATIONS, f), 'utf8'));
  db.pragma('user_version = 3');
  db.exec(`INSERT INTO editions (id, status, paper_count, created_at) VALUES ('2026-11-24', 'published', 1, 'x');
    INSERT INTO subscribers (id, email, status, topics, created_at, confirmed_at, consent_at, consent_ip, consent_source)
      VALUES (1, 'a@example.org', 'active', '["robotics"]', 't0', 't1', 't0', '192.0.2.1', 'web-form'),
             (2, 'b@example.org', 'pending', NULL, 't0', NULL, 't0', NULL, 'cli'),
             (3, 'c@example.org', 'unsubscribed', NULL, 't0', 't1', 't0', NULL, 'cli');
    UPDATE subscribers SET unsubscribed_at = 't2' WHERE id = 3;
    INSERT INTO confirm_tokens VALUES (2, 'hash-b', '2099-01-01T00:00:00Z', NULL), (3, 'hash-c', '2099-01-01T00:00:00Z', NULL);
    INSERT INTO deliveries (edition_id, subscriber_id, status, selection, attempts, last_reply, updated_at, sent_at)
      VALUES ('2026-11-24', 1, 'sent', 'k', 1, '250 ok', 't3', 't3');`);
  return db;
}

describe('migration 004', () => {
  it('keeps every row, backfills distinct nonces, keeps the foreign keys and never reuses a deleted id', () => {
    const db = storeAtVersion3();
    const before = db.prepare('SELECT * FROM deliveries').all();
    migrate(db);
    expect(db.pragma('user_version', { simple: true })).toBeGreaterThanOrEqual(4);
    const rows = db.prepare('SELECT id, email, status, topics, consent_ip, unsubscribed_at, link_nonce FROM subscribers ORDER BY id').all() as { link_nonce: string }[];
    expect(rows.map(({ link_nonce: _, ...r }) => r)).toEqual([
      { id: 1, email: 'a@example.org', status: 'active', topics: '["robotics"]', consent_ip: '192.0.2.1', unsubscribed_at: null },
      { id: 2, email: 'b@example.org', status: 'pending', topics: null, consent_ip: null, unsubscribed_at: null },
      { id: 3, email: 'c@example.org', status: 'unsubscribed', topics: null, consent_ip: null, unsubscribed_at: 't2' },
    ]);
    expect(new Set(rows.map((r) => r.link_nonce)).size).toBe(3);
    for (const r of rows) expect(r.link_nonce).toMatch(/^[0-9a-f]{32}$/);
    expect(db.prepare('SELECT edition_id, subscriber_id, status, selection, attempts, last_reply, updated_at, sent_at FROM deliveries').all()).toEqual(
      before.map((d) => Object.fromEntries(Object.entries(d as object).filter(([k]) => k !== 'next_attempt_at'))),
    );
    // The token issued before c unsubscribed no longer confirms; b's still does.
    expect(db.prepare('SELECT subscriber_id, revoked_at FROM confirm_tokens ORDER BY subscriber_id').all()).toEqual([
      { subscriber_id: 2, revoked_at: null },
      { subscriber_id: 3, revoked_at: 't2' },
    ]);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    const refs = db.prepare("SELECT sql FROM sqlite_schema WHERE name IN ('deliveries', 'confirm_tokens')").all() as { sql: string }[];
    for (const { sql } of refs) expect(sql).toMatch(/REFERENCES "?subscribers"?\(id\) ON DELETE CASCADE/);

    // Deleting the newest row and adding another: a new id, and the cascades still reach the children.
    const repo = subscribersRepo(db);
    db.prepare('DELETE FROM subscribers WHERE id = 1').run();
    db.prepare('DELETE FROM subscribers WHERE id = 3').run();
    expect(db.prepare('SELECT count(*) AS n FROM deliveries').get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT subscriber_id FROM confirm_tokens').all()).toEqual([{ subscriber_id: 2 }]);
    const next = repo.create({ email: 'd@example.org', topics: null, cadence: 'daily', weekday: 1, status: 'pending', consent: { at: 't4', ip: null, source: 'cli' } });
    expect(next.id).toBe(4);
  });
});

describe('signed links after a purge', () => {
  it('remove --purge then add: the newcomer gets a new id, not the purged one', () => {
    const proj = tmpProject();
    expect(cli(['subscribers', 'add', 'first@example.org', '--active'], proj.env).status).toBe(0);
    expect(cli(['subscribers', 'remove', 'first@example.org', '--purge'], proj.env).status).toBe(0);
    expect(cli(['subscribers', 'add', 'second@example.org', '--active'], proj.env).status).toBe(0);
    const db = new Database(join(proj.dataDir, 'paperboy.db'), { readonly: true });
    expect(db.prepare('SELECT id, email FROM subscribers').all()).toEqual([{ id: 2, email: 'second@example.org' }]);
    db.close();
  });

  it('a link signed for one person does not verify for another holding the same id (restored backup, old store)', async () => {
    const w = await world();
    const first = w.addActive('first@example.org');
    const links = [`/preferences/${signToken(w.app.secrets, first, 'preferences')}`, `/unsubscribe/${signToken(w.app.secrets, first, 'unsubscribe')}`];
    expect((await w.server.inject({ url: links[0] })).statusCode).toBe(200);
    w.app.subscribers.remove(first.id);
    // Force the same id onto a newcomer, as a store without AUTOINCREMENT did.
    w.app.db.prepare("INSERT INTO subscribers (id, email, status, created_at) VALUES (?, 'second@example.org', 'active', 'x')").run(first.id);
    const second = w.app.subscribers.get(first.id)!;
    expect(second.linkNonce).not.toBe(first.linkNonce);
    for (const url of links) expect((await w.server.inject({ url })).statusCode, url).toBe(404);
    expect((await w.post(links[1]!, { 'List-Unsubscribe': 'One-Click' })).statusCode).toBe(404);
    expect(w.app.subscribers.status(second.id)).toBe('active');
    expect((await w.server.inject({ url: `/preferences/${signToken(w.app.secrets, second, 'preferences')}` })).statusCode).toBe(200);
  });
});

/** A store as the last migration before 014 left it, with three subscribers. */
function storeBefore014() {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  const files = readdirSync(MIGRATIONS).filter((f) => /^\d{3}_/.test(f) && Number(f.slice(0, 3)) < 14).sort();
  for (const f of files) db.exec(readFileSync(join(MIGRATIONS, f), 'utf8'));
  db.pragma(`user_version = ${Number(files.at(-1)!.slice(0, 3))}`);
  db.exec(`INSERT INTO subscribers (email, status, created_at) VALUES ('a@example.org', 'active', 't0'), ('b@example.org', 'pending', 't0'), ('c@example.org', 'unsubscribed', 't0')`);
  return db;
}

describe('opaque public ids (migration 014)', () => {
  it('backfills a distinct random public id for every existing row, and every new row gets one', () => {
    const db = storeBefore014();
    const before = db.prepare('SELECT id, email, status, link_nonce FROM subscribers ORDER BY id').all();
    migrate(db);
    const rows = db.prepare('SELECT id, email, status, link_nonce, public_id FROM subscribers ORDER BY id').all() as { public_id: string }[];
    expect(rows.map(({ public_id: _, ...r }) => r)).toEqual(before);
    for (const r of rows) expect(r.public_id).toMatch(/^[0-9a-f]{20}$/);
    expect(new Set(rows.map((r) => r.public_id)).size).toBe(3);
    // Any insert path: the repository, and a bare INSERT.
    const repo = subscribersRepo(db);
    const d = repo.create({ email: 'd@example.org', topics: null, cadence: 'daily', weekday: 1, status: 'pending', consent: { at: 't4', ip: null, source: 'cli' } });
    expect(d.publicId).toMatch(/^[0-9a-f]{20}$/);
    db.prepare("INSERT INTO subscribers (email, status, created_at) VALUES ('e@example.org', 'active', 't5')").run();
    const e = repo.findByEmail('e@example.org')!;
    expect(e.publicId).toMatch(/^[0-9a-f]{20}$/);
    expect(repo.get(e.publicId)?.email).toBe('e@example.org');
    expect(new Set([...rows.map((r) => r.public_id), d.publicId, e.publicId]).size).toBe(5);
    expect(() => db.prepare('UPDATE subscribers SET public_id = ? WHERE id = ?').run(d.publicId, e.id)).toThrow(/UNIQUE/);
  });

  it('links start with the public id, never the sequential one; links sent before 014 (`<id>.<mac>`) keep working', async () => {
    const w = await world();
    const a = w.addActive('a@example.org');
    const b = w.addActive('b@example.org');
    const token = signToken(w.app.secrets, b, 'preferences');
    expect(token.startsWith(`${b.publicId}.`)).toBe(true);
    expect(token).not.toMatch(new RegExp(`^${b.id}\\.`));
    expect((await w.server.inject({ url: `/preferences/${token}` })).statusCode).toBe(200);

    // The token a digest carried before: the id, then the same MAC.
    const mac = token.split('.')[1]!;
    expect((await w.server.inject({ url: `/preferences/${b.id}.${mac}` })).statusCode).toBe(200);
    // Someone else's public id (or id) with this MAC verifies for nobody.
    expect((await w.server.inject({ url: `/preferences/${a.publicId}.${mac}` })).statusCode).toBe(404);
    expect((await w.server.inject({ url: `/preferences/${a.id}.${mac}` })).statusCode).toBe(404);
    expect((await w.server.inject({ url: `/preferences/${'0'.repeat(20)}.${mac}` })).statusCode).toBe(404);
    // The old one-click unsubscribe link still unsubscribes.
    const oldUnsub = `/unsubscribe/${b.id}.${signToken(w.app.secrets, b, 'unsubscribe').split('.')[1]}`;
    expect((await w.post(oldUnsub, { 'List-Unsubscribe': 'One-Click' })).statusCode).toBe(200);
    expect(w.app.subscribers.status(b.id)).toBe('unsubscribed');
  });
});
