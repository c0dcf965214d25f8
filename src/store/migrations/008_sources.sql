-- Live sources: arXiv categories on papers, conditional-request state per source URL, the arXiv enrichment cache.

-- JSON array of arXiv categories, primary first; '[]' until a listing or an enrichment knows them.
ALTER TABLE papers ADD COLUMN categories TEXT NOT NULL DEFAULT '[]';

-- The validators (and body) of the last answer per URL, so a re-fetch can ask If-None-Match/If-Modified-Since
-- and still rebuild its seed file from a 304.
CREATE TABLE fetch_state (
  url            TEXT PRIMARY KEY,
  etag           TEXT,
  last_modified  TEXT,
  body           BLOB NOT NULL,
  fetched_at     TEXT NOT NULL
);

-- One row per paper that enrichment looked up: found (with the arXiv id it matched) or missing (retried later).
CREATE TABLE enrichment (
  paper_id    TEXT PRIMARY KEY REFERENCES papers(id),
  status      TEXT NOT NULL CHECK (status IN ('found', 'missing')),
  arxiv_id    TEXT,
  checked_at  TEXT NOT NULL
);
CREATE INDEX enrichment_missing ON enrichment(checked_at) WHERE status = 'missing';
