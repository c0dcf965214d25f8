-- Subscribers with consent evidence, and single-use confirmation tokens (stored hashed).

CREATE TABLE subscribers (
  id               INTEGER PRIMARY KEY,
  email            TEXT NOT NULL UNIQUE,        -- normalized (see subscribe/email-address.ts)
  status           TEXT NOT NULL CHECK (status IN ('pending', 'active', 'unsubscribed', 'bounced')),
  topics           TEXT,                        -- JSON array of slugs; NULL = all topics, including new ones
  cadence          TEXT NOT NULL DEFAULT 'daily' CHECK (cadence IN ('daily', 'weekly')),
  weekday          INTEGER NOT NULL DEFAULT 1 CHECK (weekday BETWEEN 0 AND 6),
  created_at       TEXT NOT NULL,
  confirmed_at     TEXT,
  unsubscribed_at  TEXT,
  bounce_count     INTEGER NOT NULL DEFAULT 0,
  consent_at       TEXT,                        -- when the person (or the operator) gave consent
  consent_ip       TEXT,
  consent_source   TEXT                         -- 'web-form', 'cli', 'import', 'cli --active', …
);
CREATE INDEX subscribers_status ON subscribers(status, id);

CREATE TABLE confirm_tokens (
  subscriber_id  INTEGER PRIMARY KEY REFERENCES subscribers(id) ON DELETE CASCADE, -- one live token each
  token_hash     TEXT NOT NULL UNIQUE,          -- sha256 of the token; the token itself is only in the email
  expires_at     TEXT NOT NULL,
  used_at        TEXT
);
