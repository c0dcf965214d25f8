-- Subscriber ids are never reused, signed links carry a per-subscriber nonce, and the latest sign-up
-- request is kept apart from the consent in force (a re-subscribe request no longer rewrites history).
--
-- AUTOINCREMENT cannot be added in place, so the table is rebuilt. The migration runs inside a transaction
-- with foreign keys on (db.ts), where the pragma cannot be switched off: dropping the old table would then
-- cascade-delete its children. So the children (confirm_tokens, deliveries) are rebuilt too, pointing at the
-- new table; renaming it afterwards rewrites their REFERENCES to `subscribers`. All rows keep their ids.

CREATE TABLE subscribers_v4 (
  id               INTEGER PRIMARY KEY AUTOINCREMENT, -- never reused: old links and Message-IDs stay unique
  email            TEXT NOT NULL UNIQUE,        -- normalized (see subscribe/email-address.ts)
  status           TEXT NOT NULL CHECK (status IN ('pending', 'active', 'unsubscribed', 'bounced')),
  topics           TEXT,                        -- JSON array of slugs; NULL = all topics, including new ones
  cadence          TEXT NOT NULL DEFAULT 'daily' CHECK (cadence IN ('daily', 'weekly')),
  weekday          INTEGER NOT NULL DEFAULT 1 CHECK (weekday BETWEEN 0 AND 6),
  created_at       TEXT NOT NULL,
  confirmed_at     TEXT,
  unsubscribed_at  TEXT,                        -- the last unsubscribe; kept when the person asks again
  bounce_count     INTEGER NOT NULL DEFAULT 0,
  consent_at       TEXT,                        -- the consent in force: the confirmed request (or the operator's)
  consent_ip       TEXT,
  consent_source   TEXT,                        -- 'web-form', 'cli', 'import', 'cli --active', …
  link_nonce       TEXT NOT NULL DEFAULT (lower(hex(randomblob(16)))), -- in every signed link's HMAC
  request_at       TEXT,                        -- the latest sign-up request, confirmed or not
  request_ip       TEXT,
  request_source   TEXT
);
INSERT INTO subscribers_v4 (id, email, status, topics, cadence, weekday, created_at, confirmed_at, unsubscribed_at, bounce_count,
                            consent_at, consent_ip, consent_source, link_nonce, request_at, request_ip, request_source)
  SELECT id, email, status, topics, cadence, weekday, created_at, confirmed_at, unsubscribed_at, bounce_count,
         consent_at, consent_ip, consent_source, lower(hex(randomblob(16))), consent_at, consent_ip, consent_source
  FROM subscribers;

CREATE TABLE confirm_tokens_v4 (
  subscriber_id  INTEGER PRIMARY KEY REFERENCES subscribers_v4(id) ON DELETE CASCADE, -- one live token each
  token_hash     TEXT NOT NULL UNIQUE,          -- sha256 of the token; the token itself is only in the email
  expires_at     TEXT NOT NULL,
  used_at        TEXT,
  revoked_at     TEXT                           -- unsubscribed before using it: the link no longer subscribes
);
INSERT INTO confirm_tokens_v4 (subscriber_id, token_hash, expires_at, used_at)
  SELECT subscriber_id, token_hash, expires_at, used_at FROM confirm_tokens;
-- Tokens issued before an unsubscribe must not undo it.
UPDATE confirm_tokens_v4 SET revoked_at = (SELECT unsubscribed_at FROM subscribers_v4 s WHERE s.id = subscriber_id)
  WHERE used_at IS NULL AND subscriber_id IN (SELECT id FROM subscribers_v4 WHERE status = 'unsubscribed');

-- Same shape as 003_deliveries.sql.
CREATE TABLE deliveries_v4 (
  edition_id      TEXT NOT NULL REFERENCES editions(id),
  subscriber_id   INTEGER NOT NULL REFERENCES subscribers_v4(id) ON DELETE CASCADE,
  status          TEXT NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'failed', 'skipped')),
  selection       TEXT NOT NULL,            -- the selection key the digest was built for
  attempts        INTEGER NOT NULL DEFAULT 0,
  last_reply      TEXT,                     -- the SMTP reply (or outbox path) of the last attempt
  next_attempt_at TEXT,                     -- temporary failures wait until then
  updated_at      TEXT NOT NULL,
  sent_at         TEXT,
  PRIMARY KEY (edition_id, subscriber_id)
);
INSERT INTO deliveries_v4 (edition_id, subscriber_id, status, selection, attempts, last_reply, next_attempt_at, updated_at, sent_at)
  SELECT edition_id, subscriber_id, status, selection, attempts, last_reply, next_attempt_at, updated_at, sent_at FROM deliveries;

DROP TABLE deliveries;
DROP TABLE confirm_tokens;
DROP TABLE subscribers; -- nothing references it any more, so this cascades nowhere
ALTER TABLE subscribers_v4 RENAME TO subscribers;
ALTER TABLE confirm_tokens_v4 RENAME TO confirm_tokens;
ALTER TABLE deliveries_v4 RENAME TO deliveries;
CREATE INDEX subscribers_status ON subscribers(status, id);
CREATE UNIQUE INDEX subscribers_link_nonce ON subscribers(link_nonce);
CREATE INDEX deliveries_status ON deliveries(edition_id, status, subscriber_id);
