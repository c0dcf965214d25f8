-- A reader's own interests, the feedback they chose to give, and the nonce of their private links (feed, feedback).
-- Nothing here is filled without the reader (or the operator) asking: no opens, no clicks, no tracking.

CREATE TABLE reader_interests (
  subscriber_id  INTEGER PRIMARY KEY REFERENCES subscribers(id) ON DELETE CASCADE,
  keywords       TEXT NOT NULL DEFAULT '[]',  -- JSON array of phrases as written ("robot grasping")
  follows        TEXT NOT NULL DEFAULT '[]',  -- JSON array of paper references (arXiv ids or paper ids)
  authors        TEXT NOT NULL DEFAULT '[]',  -- JSON array of names
  updated_at     TEXT NOT NULL
);

-- One signal per (reader, paper): the latest choice wins; clearing deletes the row.
CREATE TABLE reader_feedback (
  subscriber_id  INTEGER NOT NULL REFERENCES subscribers(id) ON DELETE CASCADE,
  paper_id       TEXT NOT NULL REFERENCES papers(id),
  signal         INTEGER NOT NULL CHECK (signal IN (1, -1)),  -- 1 more like this, -1 fewer like this
  at             TEXT NOT NULL,
  PRIMARY KEY (subscriber_id, paper_id)
);

-- Absent until the reader resets their private links; the links of a reader without a row sign an empty nonce.
CREATE TABLE reader_link_nonces (
  subscriber_id  INTEGER PRIMARY KEY REFERENCES subscribers(id) ON DELETE CASCADE,
  nonce          TEXT NOT NULL
);
