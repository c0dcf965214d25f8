-- Who holds a `sending` row (host:pid:token): a row is claimed atomically, and only a dead claimer's rows are resent.

ALTER TABLE deliveries ADD COLUMN claimed_by TEXT;
