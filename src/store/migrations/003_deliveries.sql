-- The delivery ledger: one row per (edition date, subscriber), moved queued → sending → sent | failed | skipped.

CREATE TABLE deliveries (
  edition_id      TEXT NOT NULL REFERENCES editions(id),
  subscriber_id   INTEGER NOT NULL REFERENCES subscribers(id) ON DELETE CASCADE,
  status          TEXT NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'failed', 'skipped')),
  selection       TEXT NOT NULL,            -- the selection key the digest was built for
  attempts        INTEGER NOT NULL DEFAULT 0,
  last_reply      TEXT,                     -- the SMTP reply (or outbox path) of the last attempt
  next_attempt_at TEXT,                     -- temporary failures wait until then
  updated_at      TEXT NOT NULL,
  sent_at         TEXT,
  PRIMARY KEY (edition_id, subscriber_id)
);
CREATE INDEX deliveries_status ON deliveries(edition_id, status, subscriber_id);
