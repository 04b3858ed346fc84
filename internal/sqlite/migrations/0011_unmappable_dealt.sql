-- 0011: unmappable leads an operator dealt with, and those that wait.
--
-- A lead a rule took but could not map is never sent to the CRM: it waits
-- for a person, who fixes the mapping and replays it, or enters it in the
-- CRM by hand (or finds it is no lead). syncd status could only look for
-- those received since the start of yesterday (no index on the mapping
-- state: a year of events read at every status run), so one unmappable on
-- a Friday vanished from status unseen by Monday; and one dealt with by
-- hand kept status at exit 5 until the day after, nothing recording it.
-- dealt_at is when syncd events done recorded it dealt with; the partial
-- index holds only the unmappable leads that wait (a handful), so status
-- counts and names them at any age in a seek. A replay that maps one
-- takes it out of the index by its map_state.
ALTER TABLE events ADD COLUMN dealt_at TEXT;
CREATE INDEX events_unmappable_waiting ON events (id)
    WHERE map_state = 'unmappable' AND dealt_at IS NULL AND erased_at IS NULL AND purged_at IS NULL;
