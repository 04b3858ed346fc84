package postgres

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestOverlappingFinishesDoNotDeadlock: two runs finishing the same
// operations (one's lease ran out and the other claimed them again), each
// given them in its own order, lock them in id order, so neither waits
// for a row the other holds while holding one it waits for: they locked
// them in the order given, and PostgreSQL ended one with a deadlock
// (SQLSTATE 40P01). A row trigger that sleeps once each row is locked
// makes each hold its first row while the other takes its own first.
func TestOverlappingFinishesDoNotDeadlock(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	// a table of some size, as the planner sees it: each row is sought
	// by its id, in the order given (a few rows are read whole instead)
	a, conn := seededConn(t, waitsEvents, `INSERT INTO outbox (event_id, target, kind, key, properties, props_hash,
			mapping_file, mapping_hash, state, next_attempt_at, created_at, updated_at)
		SELECT 1, 'hubspot', 'deal', 'old' || g, '{}', 'h', 'eaf.yaml', 'h', 'done', now(), now(), now()
		FROM generate_series(1, 5000) g`, `ANALYZE outbox`)
	b, err := Open(ctx, a.cfg.ConnString())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	var ms []syncd.Mapping
	for id := int64(1); id <= 3; id++ {
		ms = append(ms, syncd.Mapping{EventID: id, State: syncd.MapMapped, Ops: leadOps(id, string(rune('a'+id))+"@x.dk", "A")[:1]})
	}
	if _, err := a.RecordMappings(ctx, ms); err != nil {
		t.Fatal(err)
	}
	held, err := a.FinishAndClaimOps(ctx, nil, "hubspot", syncd.RecordContact, 10, time.Hour)
	if err != nil || len(held) != 3 {
		t.Fatalf("claimed %d, %v; want 3", len(held), err)
	}
	for _, q := range []string{
		`CREATE FUNCTION slow_finish() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN PERFORM pg_sleep(0.3); RETURN NEW; END $$`,
		`CREATE TRIGGER slow_finish BEFORE UPDATE ON outbox FOR EACH ROW WHEN (NEW.state <> 'pending')
			EXECUTE FUNCTION slow_finish()`,
	} {
		if _, err := conn.Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	reversed := slices.Clone(held)
	slices.Reverse(reversed)
	errs := make(chan error, 2)
	for _, run := range []struct {
		db  *DB
		ops []syncd.Op
	}{{a, done(held)}, {b, done(reversed)}} {
		go func() { errs <- run.db.FinishOps(ctx, run.ops) }()
	}
	for range 2 {
		if err := <-errs; err != nil {
			t.Errorf("finish beside another of the same operations: %v", err)
		}
	}
}
