package postgres

import (
	"context"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestAFrozenInstanceDoesNotStallAnothersIntake: an instance stopped in
// the middle of a transaction (SIGSTOP, a long GC or swap pause, its host
// hung) while its mapper had marked an event mapped holds that event's row
// lock; the other instance, receiving the sender's retry of that event,
// waited for the lock with its one intake writer, and every delivery to it
// was answered 503 for as long as the first stayed frozen. The server now
// ends such a transaction (idle_in_transaction_session_timeout), so the
// retry and a new lead are both stored within intake.answer_within.
func TestAFrozenInstanceDoesNotStallAnothersIntake(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dsn := pgtest.DSN(t)
	var in [2]*Intake
	var dbs [2]*DB
	for i := range 2 {
		db, err := Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		dbs[i], in[i] = db, db.NewIntake(IntakeOptions{})
		ictx, stop := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() { in[i].Run(ictx); close(done) }()
		t.Cleanup(func() { stop(); <-done; db.Close() })
	}
	lead := func(key string) syncd.Incoming {
		return syncd.Incoming{Source: "lb", Kind: syncd.KindLokalebasen, Type: "enquiry_created", Key: key,
			Body: []byte(`{"k":"` + key + `"}`), Parse: syncd.ParseStrict}
	}
	first, err := in[1].Store(ctx, lead("retried"))
	if err != nil {
		t.Fatal(err)
	}
	// Instance b's mapper records the event's mapping and is frozen before
	// its next statement: its connection, from b's own pool, stays idle in
	// the transaction holding the row.
	tx, err := dbs[1].pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tx.Rollback(context.WithoutCancel(ctx)) })
	if _, err := tx.Exec(ctx, `UPDATE events SET map_state = 'mapped', mapped_at = now() WHERE id = $1`, first.ID); err != nil {
		t.Fatal(err)
	}

	answerWithin := 10 * time.Second // intake.answer_within's default
	for _, key := range []string{"retried", "new"} {
		actx, cancel := context.WithTimeout(ctx, answerWithin)
		t0 := time.Now()
		rec, err := in[0].Store(actx, lead(key))
		cancel()
		if err != nil {
			t.Fatalf("instance a storing %q while b is frozen in a transaction: %v after %v, want it stored", key, err, time.Since(t0).Round(time.Millisecond))
		}
		if want := map[string]syncd.Outcome{"retried": syncd.Duplicate, "new": syncd.Accepted}[key]; rec.Outcome != want {
			t.Errorf("%q: %v, want %v", key, rec.Outcome, want)
		}
	}
}
