-- 0006: intake_keys by receipt, so that the daily purge deletes the keys
-- past the duplicate window in short batches, each walking the index from
-- where the last one ended. Keys arrive in receipt order, so new entries
-- land on the index's last page.
CREATE INDEX intake_keys_received ON intake_keys (received_at);
