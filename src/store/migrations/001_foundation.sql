-- Seed files, papers, editions, leases: the foundation tables.

CREATE TABLE seed_files (
  id            INTEGER PRIMARY KEY,
  path          TEXT NOT NULL,              -- relative to the seeds folder, as first seen with this content
  sha256        TEXT NOT NULL UNIQUE,       -- identity: a renamed or touched file is not new
  size          INTEGER NOT NULL,
  format        TEXT,                       -- hf-text | hf-json | hf-html, null when rejected before parsing
  status        TEXT NOT NULL CHECK (status IN ('ingested', 'rejected')),
  reason        TEXT,                       -- one line, for rejected files
  papers_parsed INTEGER NOT NULL DEFAULT 0,
  papers_new    INTEGER NOT NULL DEFAULT 0,
  problems      TEXT NOT NULL DEFAULT '[]', -- JSON [{line, message}] of skipped entries
  ingested_at   TEXT NOT NULL
);

CREATE TABLE papers (
  id            TEXT PRIMARY KEY,           -- arXiv id when known at first sight, else t-<hash of title key>
  title_key     TEXT NOT NULL UNIQUE,       -- normalized title; dedupes across formats
  arxiv_id      TEXT UNIQUE,
  title         TEXT NOT NULL,
  abstract      TEXT NOT NULL,
  authors       TEXT NOT NULL DEFAULT '[]', -- JSON array of names
  upvotes       INTEGER,
  published_at  TEXT,
  extra         TEXT NOT NULL DEFAULT '{}', -- JSON PaperExtra
  first_seen    TEXT NOT NULL,
  seed_file_id  INTEGER NOT NULL REFERENCES seed_files(id),
  seed_line     INTEGER NOT NULL,
  edition_id    TEXT REFERENCES editions(id)
);
CREATE INDEX papers_first_seen ON papers(first_seen);
CREATE INDEX papers_unpublished ON papers(edition_id) WHERE edition_id IS NULL;

CREATE TABLE editions (
  id            TEXT PRIMARY KEY,           -- local date YYYY-MM-DD in PAPERBOY_TZ
  status        TEXT NOT NULL CHECK (status IN ('published', 'empty')),
  reason        TEXT,
  paper_count   INTEGER NOT NULL,
  trending      TEXT NOT NULL DEFAULT '[]', -- JSON TrendingKeyword[]
  created_at    TEXT NOT NULL
);

-- Classification frozen at edition time, so an archive page and a resend show what readers got.
CREATE TABLE edition_papers (
  edition_id     TEXT NOT NULL REFERENCES editions(id),
  paper_id       TEXT NOT NULL REFERENCES papers(id),
  primary_topic  TEXT NOT NULL,
  classification TEXT NOT NULL,            -- JSON Classification
  PRIMARY KEY (edition_id, paper_id)
);

-- A named lease: at most one holder until it expires; guards runs against overlap across processes.
CREATE TABLE leases (
  name        TEXT PRIMARY KEY,
  holder      TEXT NOT NULL,
  expires_at  TEXT NOT NULL
);

-- One row per run, for catch-up and reports.
CREATE TABLE runs (
  id          INTEGER PRIMARY KEY,
  date        TEXT NOT NULL,
  trigger     TEXT NOT NULL,               -- cli | schedule | catch-up
  started_at  TEXT NOT NULL,
  finished_at TEXT,
  report      TEXT
);
CREATE INDEX runs_date ON runs(date);
