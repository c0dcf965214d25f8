// Subscriber rows (with consent and request evidence) and their confirmation tokens.
import { randomBytes } from 'node:crypto';
import type { Cadence, Subscriber, SubscriberStatus } from '../domain.ts';
import type { Db } from './db.ts';

/** Mailbox failures (RCPT 550/551/553, 5.1.x, 5.2.x) after which an address is marked bounced and gets no more mail. */
export const BOUNCES_TO_DISABLE = 2;

/** A subscriber as stored: the nonce every signed link of theirs is bound to (subscribe/tokens.ts). */
export type StoredSubscriber = Subscriber & { linkNonce: string; bounceCount: number };

interface Row {
  id: number;
  email: string;
  status: SubscriberStatus;
  topics: string | null;
  cadence: Cadence;
  weekday: number;
  created_at: string;
  confirmed_at: string | null;
  link_nonce: string;
  bounce_count: number;
}

const toSubscriber = (r: Row): StoredSubscriber => ({
  id: r.id,
  email: r.email,
  status: r.status,
  topics: r.topics === null ? null : (JSON.parse(r.topics) as string[]),
  cadence: r.cadence,
  weekday: r.weekday,
  createdAt: r.created_at,
  confirmedAt: r.confirmed_at,
  linkNonce: r.link_nonce,
  bounceCount: r.bounce_count,
});

/** When, from where and through which form (or CLI) someone asked or consented. */
export interface Consent {
  at: string;
  ip: string | null;
  source: string;
}

export interface Choice {
  topics: string[] | null;
  cadence: Cadence;
  weekday: number;
}

export interface NewSubscriber extends Choice {
  email: string;
  /** unsubscribed/bounced: an opt-out carried over from another tool (import), kept out from the start. */
  status: SubscriberStatus;
  consent: Consent;
}

const topicsJson = (t: string[] | null) => (t === null ? null : JSON.stringify(t));

export function subscribersRepo(db: Db) {
  const byEmail = db.prepare<[string], Row>('SELECT * FROM subscribers WHERE email = ?');
  const byId = db.prepare<[number], Row>('SELECT * FROM subscribers WHERE id = ?');
  // Prepared once: the send loop calls these per message.
  const bounce = db.prepare(
    `UPDATE subscribers SET bounce_count = bounce_count + 1,
       status = CASE WHEN bounce_count + 1 >= ? AND status = 'active' THEN 'bounced' ELSE status END WHERE id = ?`,
  );
  const clearBounces = db.prepare('UPDATE subscribers SET bounce_count = 0 WHERE id = ? AND bounce_count > 0');
  const insert = db.prepare(
    `INSERT INTO subscribers (email, status, topics, cadence, weekday, created_at, confirmed_at, unsubscribed_at, consent_at, consent_ip, consent_source,
       link_nonce, request_at, request_ip, request_source)
     VALUES (@email, @status, @topics, @cadence, @weekday, @at, @confirmedAt, @unsubscribedAt, @at, @ip, @source, @nonce, @at, @ip, @source)`,
  );
  const setChoice = db.prepare('UPDATE subscribers SET topics = @topics, cadence = @cadence, weekday = @weekday WHERE id = @id');
  const setRequest = db.prepare('UPDATE subscribers SET request_at = @at, request_ip = @ip, request_source = @source WHERE id = @id');
  // The confirmed request becomes the consent in force; unsubscribed_at stays as the record of the last exit.
  const confirmRow = db.prepare(
    `UPDATE subscribers SET status = 'active', confirmed_at = @at, consent_at = COALESCE(request_at, consent_at),
       consent_ip = CASE WHEN request_at IS NULL THEN consent_ip ELSE request_ip END,
       consent_source = CASE WHEN request_at IS NULL THEN consent_source ELSE request_source END
     WHERE id = @id AND status IN ('pending', 'unsubscribed')`,
  );
  const operatorActivate = db.prepare(
    `UPDATE subscribers SET status = 'active', confirmed_at = @at, consent_at = @at, consent_ip = @ip, consent_source = @source,
       request_at = @at, request_ip = @ip, request_source = @source, bounce_count = CASE WHEN @resetBounces THEN 0 ELSE bounce_count END
     WHERE id = @id`,
  );
  const unsubscribeRow = db.prepare("UPDATE subscribers SET status = 'unsubscribed', unsubscribed_at = ? WHERE id = ? AND status IN ('pending', 'active')");
  const revokeTokens = db.prepare('UPDATE confirm_tokens SET revoked_at = ? WHERE subscriber_id = ? AND used_at IS NULL AND revoked_at IS NULL');

  const repo = {
    get: (id: number): StoredSubscriber | null => {
      const r = byId.get(id);
      return r ? toSubscriber(r) : null;
    },
    findByEmail: (email: string): StoredSubscriber | null => {
      const r = byEmail.get(email);
      return r ? toSubscriber(r) : null;
    },

    /** A new row with a fresh link nonce; its consent and its latest request are the same event. */
    create(s: NewSubscriber): StoredSubscriber {
      const { lastInsertRowid } = insert.run({
        email: s.email,
        status: s.status,
        topics: topicsJson(s.topics),
        cadence: s.cadence,
        weekday: s.weekday,
        at: s.consent.at,
        ip: s.consent.ip,
        source: s.consent.source,
        confirmedAt: s.status === 'active' ? s.consent.at : null,
        unsubscribedAt: s.status === 'unsubscribed' ? s.consent.at : null,
        nonce: randomBytes(16).toString('hex'),
      });
      return toSubscriber(byId.get(Number(lastInsertRowid))!);
    },

    /** Creates the subscriber; a known address is returned as it is (subscribe/service.ts decides what a request changes). */
    upsert(s: NewSubscriber): { subscriber: StoredSubscriber; created: boolean } {
      const existing = repo.findByEmail(s.email);
      return existing ? { subscriber: existing, created: false } : { subscriber: repo.create(s), created: true };
    },

    setPreferences(id: number, p: Choice): void {
      setChoice.run({ id, topics: topicsJson(p.topics), cadence: p.cadence, weekday: p.weekday });
    },

    /** Notes a sign-up request (who asked, when, from where) without touching status, consent or history. */
    noteRequest(id: number, request: Consent): void {
      setRequest.run({ id, ...request });
    },

    /** A request that will be confirmed by email: the new choice and the request, status unchanged. */
    recordRequest(id: number, choice: Choice, request: Consent): void {
      db.transaction(() => {
        repo.setPreferences(id, choice);
        repo.noteRequest(id, request);
      })();
    },

    /**
     * The person confirmed (a valid, unrevoked token): pending or unsubscribed becomes active. False when
     * the row is in no state to confirm (already active, bounced, deleted).
     */
    confirm(id: number, at: string): boolean {
      return confirmRow.run({ id, at }).changes === 1;
    },

    /** The operator vouches (--active, --reactivate): active now, with the operator's consent record. */
    activateByOperator(id: number, consent: Consent, opts: { resetBounces?: boolean } = {}): void {
      operatorActivate.run({ id, ...consent, resetBounces: opts.resetBounces ? 1 : 0 });
    },

    /** Idempotent: an unsubscribed (or bounced) address stays as it is. Live confirmation links stop working. */
    unsubscribe(id: number, at: string): boolean {
      return db.transaction(() => {
        revokeTokens.run(at, id);
        return unsubscribeRow.run(at, id).changes === 1;
      })();
    },

    /** Counts a hard bounce; after BOUNCES_TO_DISABLE the address is marked bounced. Returns the new status. */
    recordBounce(id: number): SubscriberStatus | null {
      bounce.run(BOUNCES_TO_DISABLE, id);
      return byId.get(id)?.status ?? null;
    },
    /** An import says the address bounces elsewhere: no more mail, as after BOUNCES_TO_DISABLE here. */
    markBounced(id: number): void {
      db.prepare("UPDATE subscribers SET status = 'bounced', bounce_count = max(bounce_count, ?) WHERE id = ?").run(BOUNCES_TO_DISABLE, id);
    },
    resetBounces(id: number): void {
      clearBounces.run(id);
    },

    /** Deletes the row and its history; the id is never handed out again (AUTOINCREMENT). */
    remove(id: number): void {
      db.prepare('DELETE FROM subscribers WHERE id = ?').run(id);
    },

    list(status?: SubscriberStatus): StoredSubscriber[] {
      const rows = status
        ? db.prepare<[string], Row>('SELECT * FROM subscribers WHERE status = ? ORDER BY id').all(status)
        : db.prepare<[], Row>('SELECT * FROM subscribers ORDER BY id').all();
      return rows.map(toSubscriber);
    },

    /** Active subscribers in pages by id: memory stays flat however long the list. */
    *activePages(pageSize = 1000): Generator<StoredSubscriber[]> {
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

    /** The consent in force (the confirmed request, or the operator's) and the latest request, confirmed or not. */
    consent(id: number): Consent | null {
      return evidence(id, 'consent');
    },
    request(id: number): Consent | null {
      return evidence(id, 'request');
    },
    history(id: number): { unsubscribedAt: string | null; bounceCount: number } | null {
      const r = db.prepare('SELECT unsubscribed_at, bounce_count FROM subscribers WHERE id = ?').get(id) as { unsubscribed_at: string | null; bounce_count: number } | undefined;
      return r ? { unsubscribedAt: r.unsubscribed_at, bounceCount: r.bounce_count } : null;
    },

    /** Replaces the subscriber's confirmation token (asking again invalidates the old link). */
    setConfirmToken(subscriberId: number, tokenHash: string, expiresAt: string): void {
      db.prepare(
        `INSERT INTO confirm_tokens (subscriber_id, token_hash, expires_at, used_at, revoked_at) VALUES (?, ?, ?, NULL, NULL)
         ON CONFLICT(subscriber_id) DO UPDATE SET token_hash = excluded.token_hash, expires_at = excluded.expires_at, used_at = NULL, revoked_at = NULL`,
      ).run(subscriberId, tokenHash, expiresAt);
    },
    confirmToken(tokenHash: string): { subscriberId: number; expiresAt: string; usedAt: string | null; revokedAt: string | null } | null {
      const r = db.prepare('SELECT subscriber_id, expires_at, used_at, revoked_at FROM confirm_tokens WHERE token_hash = ?').get(tokenHash) as
        | { subscriber_id: number; expires_at: string; used_at: string | null; revoked_at: string | null }
        | undefined;
      return r ? { subscriberId: r.subscriber_id, expiresAt: r.expires_at, usedAt: r.used_at, revokedAt: r.revoked_at } : null;
    },
    /** Marks the token used; false if it already was (a replay) or was revoked, so only one request can confirm. */
    useConfirmToken(tokenHash: string, at: string): boolean {
      return db.prepare('UPDATE confirm_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND revoked_at IS NULL').run(at, tokenHash).changes === 1;
    },
  };

  function evidence(id: number, kind: 'consent' | 'request'): Consent | null {
    const r = db.prepare(`SELECT ${kind}_at AS at, ${kind}_ip AS ip, ${kind}_source AS source FROM subscribers WHERE id = ?`).get(id) as Consent | undefined;
    return r ?? null;
  }
  return repo;
}

export type SubscribersRepo = ReturnType<typeof subscribersRepo>;
