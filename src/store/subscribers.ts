// Subscriber rows and their confirmation tokens.
import type { Cadence, Subscriber, SubscriberStatus } from '../domain.ts';
import type { Db } from './db.ts';

/** Hard bounces (5xx) in a row after which an address is marked bounced and gets no more mail. */
export const BOUNCES_TO_DISABLE = 2;

interface Row {
  id: number;
  email: string;
  status: SubscriberStatus;
  topics: string | null;
  cadence: Cadence;
  weekday: number;
  created_at: string;
  confirmed_at: string | null;
}

const toSubscriber = (r: Row): Subscriber => ({
  id: r.id,
  email: r.email,
  status: r.status,
  topics: r.topics === null ? null : (JSON.parse(r.topics) as string[]),
  cadence: r.cadence,
  weekday: r.weekday,
  createdAt: r.created_at,
  confirmedAt: r.confirmed_at,
});

export interface Consent {
  at: string;
  ip: string | null;
  source: string;
}

export interface NewSubscriber {
  email: string;
  topics: string[] | null;
  cadence: Cadence;
  weekday: number;
  status: 'pending' | 'active';
  consent: Consent;
}

export function subscribersRepo(db: Db) {
  const byEmail = db.prepare<[string], Row>('SELECT * FROM subscribers WHERE email = ?');
  const byId = db.prepare<[number], Row>('SELECT * FROM subscribers WHERE id = ?');
  const insert = db.prepare(
    `INSERT INTO subscribers (email, status, topics, cadence, weekday, created_at, confirmed_at, consent_at, consent_ip, consent_source)
     VALUES (@email, @status, @topics, @cadence, @weekday, @at, @confirmedAt, @at, @ip, @source)`,
  );
  const update = db.prepare(
    `UPDATE subscribers SET status = @status, topics = @topics, cadence = @cadence, weekday = @weekday,
       confirmed_at = @confirmedAt, consent_at = @at, consent_ip = @ip, consent_source = @source, unsubscribed_at = NULL, bounce_count = 0
     WHERE id = @id`,
  );

  const repo = {
    get: (id: number): Subscriber | null => {
      const r = byId.get(id);
      return r ? toSubscriber(r) : null;
    },
    findByEmail: (email: string): Subscriber | null => {
      const r = byEmail.get(email);
      return r ? toSubscriber(r) : null;
    },

    /** Creates the subscriber, or (for a known address that is not active) starts over with the new choice. */
    upsert(s: NewSubscriber): { subscriber: Subscriber; created: boolean } {
      const existing = byEmail.get(s.email);
      const params = {
        email: s.email,
        status: s.status,
        topics: s.topics === null ? null : JSON.stringify(s.topics),
        cadence: s.cadence,
        weekday: s.weekday,
        at: s.consent.at,
        ip: s.consent.ip,
        source: s.consent.source,
        confirmedAt: s.status === 'active' ? s.consent.at : null,
      };
      if (!existing) {
        const id = Number(insert.run(params).lastInsertRowid);
        return { subscriber: toSubscriber(byId.get(id)!), created: true };
      }
      update.run({ ...params, id: existing.id });
      return { subscriber: toSubscriber(byId.get(existing.id)!), created: false };
    },

    setPreferences(id: number, p: { topics: string[] | null; cadence: Cadence; weekday: number }): void {
      db.prepare('UPDATE subscribers SET topics = ?, cadence = ?, weekday = ? WHERE id = ?').run(p.topics === null ? null : JSON.stringify(p.topics), p.cadence, p.weekday, id);
    },

    activate(id: number, at: string): void {
      db.prepare("UPDATE subscribers SET status = 'active', confirmed_at = ? WHERE id = ? AND status = 'pending'").run(at, id);
    },

    /** Idempotent: an unsubscribed (or bounced) address stays as it is. */
    unsubscribe(id: number, at: string): boolean {
      return db.prepare("UPDATE subscribers SET status = 'unsubscribed', unsubscribed_at = ? WHERE id = ? AND status IN ('pending', 'active')").run(at, id).changes === 1;
    },

    /** Counts a hard bounce; after BOUNCES_TO_DISABLE the address is marked bounced. Returns the new status. */
    recordBounce(id: number): SubscriberStatus | null {
      db.prepare(
        `UPDATE subscribers SET bounce_count = bounce_count + 1,
           status = CASE WHEN bounce_count + 1 >= ? AND status = 'active' THEN 'bounced' ELSE status END WHERE id = ?`,
      ).run(BOUNCES_TO_DISABLE, id);
      return byId.get(id)?.status ?? null;
    },
    resetBounces(id: number): void {
      db.prepare('UPDATE subscribers SET bounce_count = 0 WHERE id = ? AND bounce_count > 0').run(id);
    },

    remove(id: number): void {
      db.prepare('DELETE FROM subscribers WHERE id = ?').run(id);
    },

    list(status?: SubscriberStatus): Subscriber[] {
      const rows = status
        ? db.prepare<[string], Row>('SELECT * FROM subscribers WHERE status = ? ORDER BY id').all(status)
        : db.prepare<[], Row>('SELECT * FROM subscribers ORDER BY id').all();
      return rows.map(toSubscriber);
    },

    /** Active subscribers in pages by id: memory stays flat however long the list. */
    *activePages(pageSize = 1000): Generator<Subscriber[]> {
      const page = db.prepare<[number, number], Row>("SELECT * FROM subscribers WHERE status = 'active' AND id > ? ORDER BY id LIMIT ?");
      let after = 0;
      for (;;) {
        const rows = page.all(after, pageSize);
        if (rows.length === 0) return;
        after = rows[rows.length - 1]!.id;
        yield rows.map(toSubscriber);
      }
    },

    countActive: (): number => (db.prepare("SELECT count(*) AS n FROM subscribers WHERE status = 'active'").get() as { n: number }).n,

    status(id: number): SubscriberStatus | null {
      return (db.prepare('SELECT status FROM subscribers WHERE id = ?').get(id) as { status: SubscriberStatus } | undefined)?.status ?? null;
    },

    consent(id: number): Consent | null {
      const r = db.prepare('SELECT consent_at, consent_ip, consent_source FROM subscribers WHERE id = ?').get(id) as
        | { consent_at: string; consent_ip: string | null; consent_source: string }
        | undefined;
      return r ? { at: r.consent_at, ip: r.consent_ip, source: r.consent_source } : null;
    },

    /** Replaces the subscriber's confirmation token (asking again invalidates the old link). */
    setConfirmToken(subscriberId: number, tokenHash: string, expiresAt: string): void {
      db.prepare(
        `INSERT INTO confirm_tokens (subscriber_id, token_hash, expires_at, used_at) VALUES (?, ?, ?, NULL)
         ON CONFLICT(subscriber_id) DO UPDATE SET token_hash = excluded.token_hash, expires_at = excluded.expires_at, used_at = NULL`,
      ).run(subscriberId, tokenHash, expiresAt);
    },
    confirmToken(tokenHash: string): { subscriberId: number; expiresAt: string; usedAt: string | null } | null {
      const r = db.prepare('SELECT subscriber_id, expires_at, used_at FROM confirm_tokens WHERE token_hash = ?').get(tokenHash) as
        | { subscriber_id: number; expires_at: string; used_at: string | null }
        | undefined;
      return r ? { subscriberId: r.subscriber_id, expiresAt: r.expires_at, usedAt: r.used_at } : null;
    },
    /** Marks the token used; false if it already was (a replay), so only one request can confirm. */
    useConfirmToken(tokenHash: string, at: string): boolean {
      return db.prepare('UPDATE confirm_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL').run(at, tokenHash).changes === 1;
    },
  };
  return repo;
}

export type SubscribersRepo = ReturnType<typeof subscribersRepo>;
