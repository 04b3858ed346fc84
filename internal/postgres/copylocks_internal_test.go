package postgres

import (
	"context"
	"testing"
	"time"
)

// TestCopyNeverDeadlocksAnInstance: migrate-store took its tables' locks
// one after the other (intake_keys, events, quarantine, outbox, ...),
// waiting for each, while an instance running on the database (started
// before the copy, as the README allows) takes them in other orders: an
// intake batch writes a quarantined body before a lead's key and event
// (storeAll's order: by source and key, the body's key empty), an erase
// locks the person's operations, and records the dead letters it removes
// (state), before it empties their events, a
// repaired quarantined body is locked before its event is stored. The
// copy, holding the first tables, waited for the one the instance held,
// and the instance for one the copy held: PostgreSQL ended one of them,
// "deadlock detected" (a failed copy, or a failed intake batch: 503 to
// its senders). Each order is forced here: the instance's transaction
// takes its first lock, the copy starts and waits, then the instance
// takes its second: both must go through, the copy after the instance.
func TestCopyNeverDeadlocksAnInstance(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ name, first, then string }{
		{"intake batch: a quarantined body, then a lead",
			`UPDATE quarantine SET deliveries = deliveries + 1 WHERE id = -1`,
			`UPDATE intake_keys SET event_id = event_id WHERE event_id = -1`},
		{"erase: the operations, then the events",
			`SELECT 1 FROM outbox WHERE event_id = ANY('{-1}') FOR UPDATE`,
			`UPDATE events SET erased_at = now() WHERE id = -1`},
		{"repair: the quarantined body, then its event",
			`SELECT 1 FROM quarantine WHERE id = -1 FOR UPDATE`,
			`UPDATE events SET deliveries = deliveries + 1 WHERE id = -1`},
		{"erase: the dead letters removed (state), then the events",
			`UPDATE state SET value = value WHERE name = ''`,
			`UPDATE events SET erased_at = now() WHERE id = -1`},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			src := sqliteWithALead(t)
			dst, inst := copyTargetAndInstance(t)
			tx, err := inst.pool.Begin(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer tx.Rollback(ctx)
			if _, err := tx.Exec(ctx, c.first); err != nil {
				t.Fatal(err)
			}
			type copied struct {
				counts map[string]int64
				err    error
			}
			done := make(chan copied, 1)
			go func() {
				counts, err := dst.CopyFrom(ctx, src.Reader())
				done <- copied{counts, err}
			}()
			waitStoredOrLocked(t, inst, done) // the copy waits for the instance's first lock
			if _, err := tx.Exec(ctx, c.then); err != nil {
				t.Fatalf("the instance's second statement: %v", err)
			}
			if err := tx.Commit(ctx); err != nil {
				t.Fatalf("the instance's commit: %v", err)
			}
			select {
			case got := <-done:
				if got.err != nil || got.counts["events"] != 1 {
					t.Fatalf("copy: %v, %d events; want the one copied", got.err, got.counts["events"])
				}
			case <-time.After(time.Minute):
				t.Fatal("the copy did not end within a minute of the instance's commit")
			}
		})
	}
}
