package postgres

import (
	"context"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestFinishOfABatchIsOneStatement: a finish of claimed operations writes
// them in one UPDATE, so migration 0018's statement trigger (0.45-0.9 ms
// a statement) runs once a batch, not once an operation, as it did. And
// the finish means what it meant one UPDATE an operation: each operation's
// state, attempts, next attempt, error, CRM id and dead cause as given,
// its lease ended, done_at set on the done; a CRM link for each done one
// with a CRM id; an operation another run finished after this one's lease
// ran out left as that run wrote it, its link too; an operation given
// twice, rescheduled then done, done; the count of done operations
// (outbox_done) that of the table.
func TestFinishOfABatchIsOneStatement(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, conn := seededConn(t,
		`INSERT INTO events (source, kind, type, idem_key, body, parse, received_at, last_delivery_at, map_state)
		SELECT 'eaf', 'eaf', 'email_lead', 'k' || g, '{}', 'strict', now(), now(), 'mapped' FROM generate_series(1, 6) g`,
		`INSERT INTO outbox (event_id, target, kind, key, properties, props_hash, mapping_file, mapping_hash, state,
			next_attempt_at, created_at, updated_at)
		SELECT id, 'hubspot', 'contact', 'c' || id || '@x.dk', '{}', 'h', 'eaf.yaml', 'h', 'pending',
			now() - interval '1 hour', now(), now() FROM events`,
		`CREATE TABLE finish_statements (n int NOT NULL)`,
		`CREATE FUNCTION count_finish() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN INSERT INTO finish_statements VALUES (1); RETURN NULL; END $$`,
		`CREATE TRIGGER count_finish AFTER UPDATE ON outbox FOR EACH STATEMENT EXECUTE FUNCTION count_finish()`)
	held, err := db.FinishAndClaimOps(ctx, nil, "hubspot", syncd.RecordContact, 10, time.Hour)
	if err != nil || len(held) != 6 {
		t.Fatalf("claimed %d ops, %v; want 6", len(held), err)
	}
	// The sixth's lease ran out and another run finished it.
	if _, err := conn.Exec(ctx, `UPDATE outbox SET state = 'done', crm_id = 'theirs', lease_until = NULL WHERE id = $1`,
		held[5].ID); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, `TRUNCATE finish_statements`); err != nil {
		t.Fatal(err)
	}
	next := time.Now().Add(time.Hour).UTC().Truncate(time.Second)
	with := func(op syncd.Op, state syncd.OpState, attempts int, lastErr, crmID string, cause syncd.DeadCause) syncd.Op {
		op.State, op.Attempts, op.LastError, op.CRMID, op.DeadCause = state, attempts, lastErr, crmID, cause
		if state == syncd.OpPending {
			op.NextAttemptAt = next
		}
		return op
	}
	finished := []syncd.Op{
		with(held[0], syncd.OpDone, 1, "", "1001", ""),
		with(held[1], syncd.OpPending, 2, "CRM busy", "", ""),
		with(held[2], syncd.OpDead, 3, "refused", "", syncd.DeadGivenUp),
		with(held[3], syncd.OpDone, 1, "", "1004", syncd.DoneDeletedInCRM),
		with(held[4], syncd.OpPending, 1, "first try", "", ""),
		with(held[4], syncd.OpDone, 2, "", "1005", ""),
		with(held[5], syncd.OpDone, 1, "", "mine", ""),
	}
	if err := db.FinishOps(ctx, finished); err != nil {
		t.Fatal(err)
	}
	var statements int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM finish_statements`).Scan(&statements); err != nil {
		t.Fatal(err)
	}
	if statements != 1 {
		t.Errorf("the finish of %d ops ran %d UPDATE statements on the outbox; want 1", len(finished), statements)
	}
	type row struct {
		state, lastErr, crmID, cause, link string
		attempts                           int
		leased, doneAt, later              bool
	}
	want := []row{
		{"done", "", "1001", "", "1001", 1, false, true, false},
		{"pending", "CRM busy", "", "", "", 2, false, false, true},
		{"dead", "refused", "", "given_up", "", 3, false, false, false},
		{"done", "", "1004", "deleted_in_crm", "1004", 1, false, true, false},
		{"done", "", "1005", "", "1005", 2, false, true, false},
		{"done", "", "theirs", "", "", 1, false, false, false},
	}
	for i, op := range held {
		var got row
		err := conn.QueryRow(ctx, `SELECT o.state, o.last_error, o.crm_id, o.dead_cause, coalesce(l.crm_id, ''), o.attempts,
			o.lease_until IS NOT NULL, o.done_at IS NOT NULL, o.next_attempt_at > now() + interval '30 minutes'
			FROM outbox o LEFT JOIN crm_links l ON (l.target, l.kind, l.key) = (o.target, o.kind, o.key) WHERE o.id = $1`, op.ID).
			Scan(&got.state, &got.lastErr, &got.crmID, &got.cause, &got.link, &got.attempts, &got.leased, &got.doneAt, &got.later)
		if err != nil {
			t.Fatal(err)
		}
		if got != want[i] {
			t.Errorf("op %d after the finish: %+v; want %+v", i+1, got, want[i])
		}
	}
	var counted, done int
	if err := conn.QueryRow(ctx, `SELECT (SELECT coalesce(sum(n), 0) FROM outbox_done WHERE target = 'hubspot'),
		(SELECT count(*) FROM outbox WHERE target = 'hubspot' AND state = 'done')`).Scan(&counted, &done); err != nil {
		t.Fatal(err)
	}
	if counted != done || done != 4 {
		t.Errorf("outbox_done counts %d done; the table holds %d, want 4", counted, done)
	}
}
