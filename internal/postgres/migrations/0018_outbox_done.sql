-- 0018: the done operations of each CRM, counted as they change.
--
-- /metrics (every scrape, on every instance) and syncd status give how
-- many operations are done; they had it as all of them less the pending
-- and the dead, all of them counted with count(*): a walk of an index of
-- the whole outbox, which keeps the finished operations of the outbox's
-- retention (90 days by default, a year or more where set so), at every
-- scrape of every instance.
--
-- outbox_done holds signed counts of done operations per target; their
-- sum is the target's done operations. A trigger on every statement
-- that inserts, updates or deletes operations adds a row for the change
-- it made to that count (none for a claim or a reschedule, which leave
-- it), in the same transaction: a reader's snapshot sees the operations
-- and their count together, committed or not, whichever instance wrote
-- them and however many write at once. Writers only insert such rows, so
-- none waits for another's; to keep them few, a statement that added one
-- then folds all the rows it sees into one a target, unless another
-- transaction is folding (a transaction-level advisory lock, tried,
-- never waited for, held until that fold commits, so the next sees it
-- done) or it runs above READ COMMITTED, whose snapshot may not see the
-- last fold (the rows then stay for the next statement to fold). A
-- rolled back statement takes its row and its fold with it. The trigger
-- costs a statement 0.2-0.35 ms (a finish of 100 operations with its
-- fold, a claim), 7 ms the first in a session, which compiles it
-- (EXPLAIN ANALYZE beside 1,000,000 operations, 2026-12-07, loaded).
CREATE TABLE outbox_done (
    target text NOT NULL,
    n bigint NOT NULL
);

-- The trigger's function, for INSERT, UPDATE, DELETE (each with its
-- transition tables, new_ops and old_ops) and TRUNCATE. It writes
-- outbox_done as the tables' owner (SECURITY DEFINER, in this schema): a
-- role running syncd on tables another owns, granted them before this
-- table was made, still writes operations (an instance of the older syncd
-- among upgraded ones too), though status and serve need it granted
-- (serve says so at its start). The advisory lock's two keys ("sync" in
-- ASCII, 18) are of the two-key space, which the instances' single-key
-- locks (leads, sessions, migration) never meet.
CREATE FUNCTION outbox_count_done() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        DELETE FROM outbox_done;
        RETURN NULL;
    ELSIF TG_OP = 'INSERT' THEN
        INSERT INTO outbox_done (target, n)
            SELECT target, count(*) FROM new_ops WHERE state = 'done' GROUP BY target;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO outbox_done (target, n)
            SELECT target, -count(*) FROM old_ops WHERE state = 'done' GROUP BY target;
    ELSE
        INSERT INTO outbox_done (target, n)
            SELECT target, sum(d) FROM (
                SELECT target, 1 AS d FROM new_ops WHERE state = 'done'
                UNION ALL SELECT target, -1 FROM old_ops WHERE state = 'done') c
            GROUP BY target HAVING sum(d) <> 0;
    END IF;
    IF FOUND AND current_setting('transaction_isolation') = 'read committed'
        AND pg_try_advisory_xact_lock(1937337955, 18) THEN
        WITH folded AS (DELETE FROM outbox_done RETURNING target, n)
        INSERT INTO outbox_done (target, n)
            SELECT target, sum(n) FROM folded GROUP BY target HAVING sum(n) <> 0;
    END IF;
    RETURN NULL;
END
$$;

-- No operation is written while the count is taken and the triggers made.
LOCK TABLE outbox IN SHARE ROW EXCLUSIVE MODE;
CREATE TRIGGER outbox_done_insert AFTER INSERT ON outbox REFERENCING NEW TABLE AS new_ops
    FOR EACH STATEMENT EXECUTE FUNCTION outbox_count_done();
CREATE TRIGGER outbox_done_update AFTER UPDATE ON outbox REFERENCING OLD TABLE AS old_ops NEW TABLE AS new_ops
    FOR EACH STATEMENT EXECUTE FUNCTION outbox_count_done();
CREATE TRIGGER outbox_done_delete AFTER DELETE ON outbox REFERENCING OLD TABLE AS old_ops
    FOR EACH STATEMENT EXECUTE FUNCTION outbox_count_done();
CREATE TRIGGER outbox_done_truncate AFTER TRUNCATE ON outbox
    FOR EACH STATEMENT EXECUTE FUNCTION outbox_count_done();
INSERT INTO outbox_done (target, n) SELECT target, count(*) FROM outbox WHERE state = 'done' GROUP BY target;
