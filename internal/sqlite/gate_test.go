package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestIntakeGoesFirstOnTheWriter: with other writers (mapper, syncer)
// queued behind a running transaction, the intake's commit is the next to
// run. Each of the others records how many events it saw: all must see the
// intake's event.
func TestIntakeGoesFirstOnTheWriter(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "syncd.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	in := db.NewIntake(IntakeOptions{})
	rctx, stop := context.WithCancel(ctx)
	defer stop()
	go in.Run(rctx)
	store := func(key string) error {
		_, err := in.Store(ctx, syncd.Incoming{Source: "lb", Kind: syncd.KindLokalebasen, Type: "x",
			Key: key, Body: []byte(`{}`), Parse: syncd.ParseStrict})
		return err
	}
	if err := store("sha256:warm-up"); err != nil { // the intake is ready: statements, keys, connection
		t.Fatal(err)
	}
	waitFor(t, func() bool { return db.w.Stats().InUse == 1 }) // the intake's own connection
	holder, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	const others = 6
	done := make(chan error, others)
	for i := 0; i < others; i++ {
		go func() { done <- otherWriter(ctx, db.w, i) }()
	}
	waitFor(t, func() bool { return db.w.Stats().WaitCount >= others }) // all queued for the one connection
	stored := make(chan error, 1)
	go func() { stored <- store("sha256:first") }()
	waitFor(t, func() bool { return gateHigh(db) > 0 })
	holder.Rollback()
	if err := <-stored; err != nil {
		t.Fatal(err)
	}
	for i := 0; i < others; i++ {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	rows, err := db.r.QueryContext(ctx, `SELECT name, value FROM state WHERE name LIKE 'other-%'`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var name, seen string
		rows.Scan(&name, &seen)
		if seen != "2" {
			t.Errorf("%s ran before the intake's commit (saw %s events)", name, seen)
		}
	}
}

// otherWriter is a writer of lower priority: it notes how many events
// exist when its transaction runs.
func otherWriter(ctx context.Context, w *sql.DB, i int) error {
	tx, err := w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	_, err = tx.ExecContext(ctx, `INSERT INTO state (name, value, updated_at)
		VALUES (?, (SELECT count(*) FROM events), '')`, fmt.Sprintf("other-%d", i))
	if err != nil {
		return err
	}
	return tx.Commit()
}

func gateHigh(db *DB) int {
	db.gate.mu.Lock()
	defer db.gate.mu.Unlock()
	return db.gate.high
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("condition not reached in 10s")
		}
		time.Sleep(time.Millisecond)
	}
}
