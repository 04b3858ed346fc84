-- 0012: the recipients of a report's mail refused only for now (the
-- SQLite store's 0012).
--
-- A mail that reached some recipients and was refused for others only for
-- now (450, greylisting) is mailed again to those alone at the daemon's
-- back-off. Who they were lived in memory alone: after a restart nobody
-- mailed them, and syncd status said "for now, trying again" for ever.
-- mail_waiting holds them (and how the mail stood) while the leading
-- instance tries them again, '' when none wait.
ALTER TABLE reports ADD COLUMN mail_waiting text NOT NULL DEFAULT '';
