package postgres_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/postgres"
	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
)

// TestADatabaseThatTakesNoWritesIsSaid: a DSN reaching a database that
// takes no writes (default_transaction_read_only set on the role or the
// database, a read replica's endpoint, a standby after a failover) passed
// syncd validate, "reachable, schema 12 (this syncd's)", exit 0, while
// serve failed to start on it with "installed at: ERROR: cannot execute
// INSERT in a read-only transaction" and no word of why or what to do.
// Check says why it takes none (validate: exit 1), and serve's open
// refuses it with that and the fix.
func TestADatabaseThatTakesNoWritesIsSaid(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dsn := pgtest.DSN(t)
	if db, err := postgres.Open(ctx, dsn); err != nil {
		t.Fatal(err)
	} else {
		db.Close()
	}
	setOnDatabase(t, dsn, "default_transaction_read_only", "on")
	found, err := postgres.Check(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(found.ReadOnly, "default_transaction_read_only is on for user postgres or database syncd_test_") ||
		!strings.Contains(found.ReadOnly, "SET default_transaction_read_only = off") {
		t.Errorf("check: read-only %q, want why and the fix", found.ReadOnly)
	}
	db, err := postgres.OpenWith(ctx, dsn, postgres.Options{Serving: true})
	if err == nil {
		db.Close()
		t.Fatal("serve opened a database that takes no writes")
	}
	if msg := err.Error(); !strings.Contains(msg, "takes no writes") || !strings.Contains(msg, "SET default_transaction_read_only = off") {
		t.Errorf("serve: %q, want why and the fix", msg)
	}
	if db, err := postgres.Open(ctx, dsn); err != nil { // a command that reads still reads
		t.Errorf("a command's open: %v", err)
	} else {
		db.Close()
	}
}

// TestInstancesAreReadWhereTheDatabaseTakesNoWrites: syncd status on a
// database that takes no writes (default_transaction_read_only on the role
// or the database, a read replica, a standby) failed, exit 5, with
// "instances: ERROR: cannot execute DELETE in a read-only transaction":
// Instances removes the rows of instances long dead before it reads, and
// that housekeeping failed the read. It reads the instances seen all the
// same, and TakesNoWrites says why the database takes none.
func TestInstancesAreReadWhereTheDatabaseTakesNoWrites(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	dsn := pgtest.DSN(t)
	running := openDSN(t, dsn)
	if why, err := running.TakesNoWrites(ctx); err != nil || why != "" {
		t.Fatalf("a database that takes writes: %q, %v", why, err)
	}
	go running.Heartbeat(ctx, "127.0.0.1:1", "1.0.0", noSettings)
	waitFor(t, "the instance's heartbeat", func() bool {
		ins, err := running.Instances(ctx, time.Minute)
		return err == nil && len(ins) == 1
	})
	setOnDatabase(t, dsn, "default_transaction_read_only", "on") // the running instance's sessions keep writing
	reader := openDSN(t, dsn)
	ins, err := reader.Instances(ctx, time.Minute)
	if err != nil || len(ins) != 1 || ins[0].Listen != "127.0.0.1:1" {
		t.Errorf("instances read where the database takes no writes: %+v, %v; want the running one", ins, err)
	}
	why, err := reader.TakesNoWrites(ctx)
	if err != nil || !strings.Contains(why, "default_transaction_read_only is on for user postgres") {
		t.Errorf("takes no writes: %q, %v; want why", why, err)
	}
}
