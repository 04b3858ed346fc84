package postgres_test

import (
	"context"
	"strings"
	"testing"

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
