-- 0005: indexes of the retention purge, so that each batch finds its rows
-- without walking past those already purged: the rows still holding a body,
-- by receipt (an UPDATE that purges a row leaves these partial indexes);
-- finished operations by their last change; links by when recorded.
CREATE INDEX events_held ON events (received_at) WHERE purged_at IS NULL AND erased_at IS NULL;
CREATE INDEX quarantine_held ON quarantine (received_at) WHERE purged_at IS NULL AND erased_at IS NULL;
CREATE INDEX outbox_finished ON outbox (updated_at) WHERE state IN ('done', 'dead');
CREATE INDEX crm_links_updated ON crm_links (updated_at);
CREATE INDEX crm_intents_sent ON crm_intents (sent_at);
