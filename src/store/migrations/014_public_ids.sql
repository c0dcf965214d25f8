-- An opaque public id per subscriber: what readers see wherever an id shows (signed link prefixes, the
-- Message-ID, the mailto unsubscribe subject), so a sequential id no longer tells anyone the list's size.
-- 80 random bits as 20 hex digits: never all-digit-and-short like an old numeric id (at most 16 digits),
-- so old links (`<id>.<mac>`) and new ones (`<public id>.<mac>`) cannot be mistaken for each other.
--
-- ADD COLUMN cannot take a random default, so existing rows are backfilled here and new rows get theirs
-- from the trigger, whichever code inserts them.
ALTER TABLE subscribers ADD COLUMN public_id TEXT;
UPDATE subscribers SET public_id = lower(hex(randomblob(10))) WHERE public_id IS NULL;
CREATE UNIQUE INDEX subscribers_public_id ON subscribers(public_id);
CREATE TRIGGER subscribers_public_id_new AFTER INSERT ON subscribers
  WHEN NEW.public_id IS NULL
  BEGIN
    UPDATE subscribers SET public_id = lower(hex(randomblob(10))) WHERE id = NEW.id;
  END;
