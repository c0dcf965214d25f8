-- A date's digests, rendered once by the run that published its edition, so a send assembles messages from them
-- without MJML. One row per selection (cadence and topics); parts NULL: nothing in that selection (no email).
-- fingerprint: what the render read (editions, topics.yaml, base URL, code, email templates); a row whose
-- fingerprint no longer matches is ignored and the sender renders that selection itself.

CREATE TABLE digest_parts (
  date          TEXT NOT NULL,
  selection     TEXT NOT NULL,
  fingerprint   TEXT NOT NULL,
  parts         TEXT,
  created_at    TEXT NOT NULL,
  PRIMARY KEY (date, selection)
);
