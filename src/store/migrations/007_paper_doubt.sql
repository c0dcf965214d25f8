-- A paper kept from a seed file but in doubt (an abstract that may be cut off): the reason, until a later
-- listing repairs it; null for papers no one doubts.
ALTER TABLE papers ADD COLUMN doubt TEXT;
