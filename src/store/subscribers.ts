// Subscriber rows (with consent and request evidence) and their confirmation tokens.
import type { Cadence, Subscriber, SubscriberStatus } from '../domain.ts';
import type { Db } from './db.ts';

/** Mailbox failures (RCPT 550/551/553, 5.1.x, 5.2.x) after which an address is marked bounced and gets no more mail. */
export const BOUNCES_TO_DISABLE = 2;

/**
 * A subscriber as stored: the nonce every signed link of theirs is bound to (signed-links.ts), and the
 * opaque public id readers see instead of the sequential one (migration 014).
 */
export type StoredSubscriber = Subscriber & { linkNonce: string; publicId: string; bounceCount: number };

/**
 * A subscriber as the send loop reads them, a batch at a time: with the extra nonce of their private links (their
 * own page: "View in browser"; empty until they first reset them) and whether they gave interests or feedback.
 */
export type SendingSubscriber = StoredSubscriber & { readerNonce: string; hasInterests: boolean };

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
  public_id: string;
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
  publicId: r.public_id,
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
  // One statement per batch of the send loop: what each message needs to be filled, no read per message.
  const sending = db.prepare<[string], Row & { reader_nonce: string | null; has_interests: number }>(
    // Only the columns a SendingSubscriber holds (not the consent and request evidence): this runs for every message.
    `SELECT s.id, s.email, s.status, s.topics, s.cadence, s.weekday, s.created_at, s.confirmed_at, s.link_nonce, s.public_id, s.bounce_count, n.nonce AS reader_nonce,
       EXISTS (SELECT 1 FROM reader_interests i WHERE i.subscriber_id = s.id) OR EXISTS (SELECT 1 FROM reader_feedback f WHERE f.subscriber_id = s.id) AS has_interests
     FROM subscribers s LEFT JOIN reader_link_nonces n ON n.subscriber_id = s.id WHERE s.id IN (SELECT value FROM json_each(?))`,
  );
  const byPublicId = db.prepare<[string], Row>('SELECT * FROM subscribers WHERE public_id = ?');
  // Every statement prepared once, here: the send loop and import call them per message or row.
  const bounce = db.prepare(
    `UPDATE subscribers SET bounce_count = bounce_count + 1,
       status = CASE WHEN bounce_count + 1 >= ? AND status = 'active' THEN 'bounced' ELSE status END WHERE id = ?`,
  );
  const clearBounces = db.prepare('UPDATE subscribers SET bounce_count = 0 WHERE id = ? AND bounce_count > 0');
  const insert = db.prepare(
    `INSERT INTO subscribers (email, status, topics, cadence, weekday, created_at, confirmed_at, unsubscribed_at, consent_at, consent_ip, consent_source,
       request_at, request_ip, request_source)
     VALUES (@email, @status, @topics, @cadence, @weekday, @at, @confirmedAt, @unsubscribedAt, @at, @ip, @source, @at, @ip, @source)`,
  ); // link_nonce: the column's DEFAULT (migration 004) draws it
  const setChoice = db.prepare('UPDATE subscribers SET topics = @topics, cadence = @cadence, weekday = @weekday WHERE id = @id');
  const setRequest = db.prepare('UPDATE subscribers SET request_at = @at, request_ip = @ip, request_source = @source WHERE id = @id');
  // The confirmed request becomes the consent in force; unsubscribed_at stays as the record of the last exit.
  const confirmRow = db.prepare(
    `UPDATE subscribers SET status = 'active', confirmed_at = @at, consent_at = COALESCE(request_at, consent_at),
       consent_ip = CASE WHEN request_at IS NULL THEN consent_ip ELSE request_ip END,
       consent_source = CASE WHEN request_at IS NULL THEN consent_source ELSE request_source END
     WHERE id = @id AND status IN ('pending', 'unsubscribed')`,
  );
  // One statement: the operator's choice, consent and request together, so nothing is written twice.
  const operatorActivate = db.prepare(
    `UPDATE subscribers SET status = 'active', topics = @topics, cadence = @cadence, weekday = @weekday,
       confirmed_at = @at, consent_at = @at, consent_ip = @ip, consent_source = @source,
       request_at = @at, request_ip = @ip, request_source = @source, bounce_count = CASE WHEN @resetBounces THEN 0 ELSE bounce_count END
     WHERE id = @id`,
  );
  const unsubscribeRow = db.prepare("UPDATE subscribers SET status = 'unsubscribed', unsubscribed_at = ? WHERE id = ? AND status IN ('pending', 'active')");
  const revokeTokens = db.prepare('UPDATE confirm_tokens SET revoked_at = ? WHERE subscriber_id = ? AND used_at IS NULL AND revoked_at IS NULL');
  const markBouncedRow = db.prepare("UPDATE subscribers SET status = 'bounced', bounce_count = max(bounce_count, ?) WHERE id = ?");
  const deleteRow = db.prepare('DELETE FROM subscribers WHERE id = ?');
  const listAll = db.prepare<[], Row>('SELECT * FROM subscribers ORDER BY id');
  const listByStatus = db.prepare<[string], Row>('SELECT * FROM subscribers WHERE status = ? ORDER BY id');
  const activeCount = db.prepare<[], { n: number }>("SELECT count(*) AS n FROM subscribers WHERE status = 'active'");
  const statusOf = db.prepare<[number], { status: SubscriberStatus }>('SELECT status FROM subscribers WHERE id = ?');
  const historyOf = db.prepare<[number], { unsubscribed_at: string | null; bounce_count: number }>('SELECT unsubscribed_at, bounce_count FROM subscribers WHERE id = ?');
  const consentOf = db.prepare<[number], Consent>('SELECT consent_at AS at, consent_ip AS ip, consent_source AS source FROM subscribers WHERE id = ?');
  const requestOf = db.prepare<[number], Consent>('SELECT request_at AS at, request_ip AS ip, request_source AS source FROM subscribers WHERE id = ?');
  const putToken = db.prepare(
    `INSERT INTO confirm_tokens (subscriber_id, token_hash, expires_at, used_at, revoked_at) VALUES (?, ?, ?, NULL, NULL)
     ON CONFLICT(subscriber_id) DO UPDATE SET token_hash = excluded.token_hash, expires_at = excluded.expires_at, used_at = NULL, revoked_at = NULL`,
  );
  const tokenByHash = db.prepare<[string], { subscriber_id: number; expires_at: string; used_at: string | null; revoked_at: string | null }>(
    'SELECT subscriber_id, expires_at, used_at, revoked_at FROM confirm_tokens WHERE token_hash = ?',
  );
  const useToken = db.prepare('UPDATE confirm_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND revoked_at IS NULL');
  const activePage = db.prepare<[number, number], Row>("SELECT * FROM subscribers WHERE status = 'active' AND id > ? ORDER BY id LIMIT ?");
  const recordTx = db.transaction((id: number, choice: Choice, request: Consent) => {
    setChoice.run({ id, topics: topicsJson(choice.topics), cadence: choice.cadence, weekday: choice.weekday });
    setRequest.run({ id, ...request });
  });
  const unsubscribeTx = db.transaction((id: number, at: string) => {
    revokeTokens.run(at, id);
    return unsubscribeRow.run(at, id).changes === 1;
  });

  const repo = {
    /** By id, or by public id (a string: what signed links carry since migration 014). */
    get: (ref: number | string): StoredSubscriber | null => {
      const r = typeof ref === 'number' ? byId.get(ref) : byPublicId.get(ref);
      return r ? toSubscriber(r) : null;
    },
    /** Several at once (a delivery batch): one statement, by id. */
    /** The subscribers of a send batch by id (a deleted one is missing), read in one statement. */
    forSending: (ids: number[]): Map<number, SendingSubscriber> =>
      new Map(
        sending.all(JSON.stringify(ids)).map((r) => {
          const s = toSubscriber(r) as SendingSubscriber;
          s.readerNonce = r.reader_nonce ?? '';
          s.hasInterests = r.has_interests === 1;
          return [r.id, s];
        }),
      ),
    findByEmail: (email: string): StoredSubscriber | null => {
      const r = byEmail.get(email);
      return r ? toSubscriber(r) : null;
    },

    /** A new row (the store draws its link nonce); its consent and its latest request are the same event. */
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
      recordTx(id, choice, request);
    },

    /**
     * The person confirmed (a valid, unrevoked token): pending or unsubscribed becomes active. False when
     * the row is in no state to confirm (already active, bounced, deleted).
     */
    confirm(id: number, at: string): boolean {
      return confirmRow.run({ id, at }).changes === 1;
    },

    /** The operator vouches (--active, --reactivate): active now with their choice, the operator's consent and request. */
    activateByOperator(id: number, choice: Choice, consent: Consent, opts: { resetBounces?: boolean } = {}): void {
      operatorActivate.run({ id, topics: topicsJson(choice.topics), cadence: choice.cadence, weekday: choice.weekday, ...consent, resetBounces: opts.resetBounces ? 1 : 0 });
    },

    /** Idempotent: an unsubscribed (or bounced) address stays as it is. Live confirmation links stop working. */
    unsubscribe(id: number, at: string): boolean {
      return unsubscribeTx(id, at);
    },

    /** Counts a hard bounce; after BOUNCES_TO_DISABLE the address is marked bounced. Returns the new status. */
    recordBounce(id: number): SubscriberStatus | null {
      bounce.run(BOUNCES_TO_DISABLE, id);
      return byId.get(id)?.status ?? null;
    },
    /** An import says the address bounces elsewhere: no more mail, as after BOUNCES_TO_DISABLE here. */
    markBounced(id: number): void {
      markBouncedRow.run(BOUNCES_TO_DISABLE, id);
    },
    resetBounces(id: number): void {
      clearBounces.run(id);
    },

    /** Deletes the row and its history; the id is never handed out again (AUTOINCREMENT). */
    remove(id: number): void {
      deleteRow.run(id);
    },

    list(status?: SubscriberStatus): StoredSubscriber[] {
      return (status ? listByStatus.all(status) : listAll.all()).map(toSubscriber);
    },

    /** Active subscribers in pages by id: memory stays flat however long the list. */
    *activePages(pageSize = 1000): Generator<StoredSubscriber[]> {
      let after = 0;
      for (;;) {
        const rows = activePage.all(after, pageSize);
        if (rows.length === 0) return;
        after = rows[rows.length - 1]!.id;
        yield rows.map(toSubscriber);
      }
    },

    countActive: (): number => activeCount.get()!.n,

    status(id: number): SubscriberStatus | null {
      return statusOf.get(id)?.status ?? null;
    },

    /** The consent in force (the confirmed request, or the operator's) and the latest request, confirmed or not. */
    consent(id: number): Consent | null {
      return consentOf.get(id) ?? null;
    },
    request(id: number): Consent | null {
      return requestOf.get(id) ?? null;
    },
    history(id: number): { unsubscribedAt: string | null; bounceCount: number } | null {
      const r = historyOf.get(id);
      return r ? { unsubscribedAt: r.unsubscribed_at, bounceCount: r.bounce_count } : null;
    },

    /** Replaces the subscriber's confirmation token (asking again invalidates the old link). */
    setConfirmToken(subscriberId: number, tokenHash: string, expiresAt: string): void {
      putToken.run(subscriberId, tokenHash, expiresAt);
    },
    confirmToken(tokenHash: string): { subscriberId: number; expiresAt: string; usedAt: string | null; revokedAt: string | null } | null {
      const r = tokenByHash.get(tokenHash);
      return r ? { subscriberId: r.subscriber_id, expiresAt: r.expires_at, usedAt: r.used_at, revokedAt: r.revoked_at } : null;
    },
    /** Marks the token used; false if it already was (a replay) or was revoked, so only one request can confirm. */
    useConfirmToken(tokenHash: string, at: string): boolean {
      return useToken.run(at, tokenHash).changes === 1;
    },
  };
  return repo;
}

export type SubscribersRepo = ReturnType<typeof subscribersRepo>;
