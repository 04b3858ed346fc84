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

// TestFinishLinksAsOneOpAtATime: the CRM links a finished batch writes in
// one statement are those its operations wrote finished one at a time, in
// order, as they were: a record's link given once, kept with its update
// time when its CRM id is the same, changed with it when not; a record
// given twice in a batch, with the same CRM id or two (back to the first:
// its update time changed all the same), the last contact key given kept.
func TestFinishLinksAsOneOpAtATime(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	type op struct {
		kind, key, contact, crmID string
	}
	batch := []op{
		{"contact", "same@x.dk", "", "1"}, {"contact", "same@x.dk", "", "1"},
		{"contact", "changed@x.dk", "", "2"}, {"contact", "changed@x.dk", "", "2"},
		{"contact", "back@x.dk", "", "2"}, {"contact", "back@x.dk", "", "1"},
		{"deal", "eaf:1", "", "7"}, {"deal", "eaf:1", "new@x.dk", "7"},
		{"deal", "eaf:2", "", "8"}, {"contact", "fresh@x.dk", "", "9"},
	}
	links := func(whole bool) map[string]string {
		db, conn := seededConn(t,
			`INSERT INTO events (source, kind, type, idem_key, body, parse, received_at, last_delivery_at, map_state)
			SELECT 'eaf', 'eaf', 'email_lead', 'k' || g, '{}', 'strict', now(), now(), 'mapped' FROM generate_series(1, 10) g`,
			`INSERT INTO crm_links (target, kind, key, crm_id, updated_at, contact_key) VALUES
			('hubspot', 'contact', 'same@x.dk', '1', '2020-01-01', ''), ('hubspot', 'contact', 'changed@x.dk', '1', '2020-01-01', ''),
			('hubspot', 'contact', 'back@x.dk', '1', '2020-01-01', ''), ('hubspot', 'deal', 'eaf:1', '7', '2020-01-01', 'old@x.dk'),
			('hubspot', 'deal', 'eaf:2', '8', '2020-01-01', 'kept@x.dk')`)
		var ops []syncd.Op
		for i, o := range batch {
			var id int64
			err := conn.QueryRow(ctx, `INSERT INTO outbox (event_id, target, kind, key, contact_key, properties, props_hash,
				mapping_file, mapping_hash, state, next_attempt_at, created_at, updated_at)
				SELECT id, 'hubspot', $1, $2, $3, '{}', 'h' || id, 'eaf.yaml', 'h', 'pending', now(), now(), now() FROM events
				WHERE idem_key = 'k' || $4::int RETURNING id`, o.kind, o.key, o.contact, i+1).Scan(&id)
			if err != nil {
				t.Fatal(err)
			}
			ops = append(ops, syncd.Op{ID: id, Target: "hubspot", Kind: syncd.RecordKind(o.kind), Key: o.key,
				ContactKey: o.contact, State: syncd.OpDone, Attempts: 1, CRMID: o.crmID})
		}
		if whole {
			if err := db.FinishOps(ctx, ops); err != nil {
				t.Fatal(err)
			}
		} else {
			for _, op := range ops {
				if err := db.FinishOps(ctx, []syncd.Op{op}); err != nil {
					t.Fatal(err)
				}
			}
		}
		rows, err := conn.Query(ctx, `SELECT kind || ' ' || key, crm_id || ' ' || contact_key || ' ' ||
			CASE WHEN updated_at < '2021-01-01' THEN 'kept' ELSE 'updated' END FROM crm_links`)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for rows.Next() {
			var k, v string
			if err := rows.Scan(&k, &v); err != nil {
				t.Fatal(err)
			}
			got[k] = v
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		return got
	}
	one, whole := links(false), links(true)
	if len(one) != 6 {
		t.Errorf("finished one at a time, the links are %v; want 6", one)
	}
	for k, v := range one {
		if whole[k] != v {
			t.Errorf("link of %s: %q finished one at a time, %q as a batch", k, v, whole[k])
		}
	}
	if len(whole) != len(one) {
		t.Errorf("links finished as a batch %v; one at a time %v", whole, one)
	}
}
