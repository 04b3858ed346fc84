-- 0003: when an event's body was purged by retention (as the SQLite
-- store's purged_at); replay maps only events still held.
ALTER TABLE events ADD COLUMN purged_at timestamptz;
