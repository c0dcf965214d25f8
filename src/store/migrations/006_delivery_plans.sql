-- One row per edition whose delivery began: the recipients are queued in one transaction that also sets
-- queued_at, so an edition with queued_at NULL is owed its recipients, whatever runs next. subscribers_upto
-- is the highest subscriber id when the delivery began: finishing the queueing later adds nobody newer.

CREATE TABLE delivery_plans (
  edition_id       TEXT PRIMARY KEY REFERENCES editions(id),
  started_at       TEXT NOT NULL,
  subscribers_upto INTEGER NOT NULL,
  queued_at        TEXT
);

-- Deliveries from before this table was there were queued page by page; take them as queued.
INSERT INTO delivery_plans (edition_id, started_at, subscribers_upto, queued_at)
  SELECT edition_id, min(updated_at), max(subscriber_id), min(updated_at) FROM deliveries GROUP BY edition_id;
