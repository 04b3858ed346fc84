-- 0007: each instance records with its heartbeat the syncd version it runs
-- and the newest schema that syncd knows, so that syncd status shows which
-- hosts a rolling upgrade has reached. An instance still on an older syncd
-- does not write them: its row keeps '' and 0. Adding a column with a
-- constant default rewrites nothing.
ALTER TABLE instances
    ADD COLUMN version text    NOT NULL DEFAULT '',
    ADD COLUMN schema  integer NOT NULL DEFAULT 0;
