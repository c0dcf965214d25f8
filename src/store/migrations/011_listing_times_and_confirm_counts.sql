-- When each paper first reached the feeds (and the site): one distinct second per paper, in listing order, so a
-- feed reader orders a day's items as they are listed; set once, so a rebuild never moves a paper.
ALTER TABLE papers ADD COLUMN listed_at TEXT;

-- Confirmation emails asked for, per client (IP, IPv6 /64) and overall ('*'): the subscribe form's limits
-- hold across restarts of the server. Old rows are pruned as new ones come.
CREATE TABLE confirm_requests (
  key  TEXT NOT NULL,
  at   INTEGER NOT NULL            -- milliseconds since the epoch
);
CREATE INDEX confirm_requests_key_at ON confirm_requests(key, at);
