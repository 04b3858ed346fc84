-- 0010: the dead letters by id.
--
-- syncd outbox list -state dead pages the dead letters by id, newest first,
-- and outbox_dead has them by the time they died: every page read every
-- dead letter, properties and all, and sorted them to keep 500 (after an
-- outage of the CRM, tens of thousands, for each page). Their ids in an
-- index of their own make a page a seek from the last one listed. Only
-- dead rows are indexed: a few, unless the CRM was down.
CREATE INDEX outbox_dead_id ON outbox (id) WHERE state = 'dead';
