package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/syncd-dev/syncd/internal/postgres"
	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
)

// TestAStartOnACurrentSchemaWaitsForNoMigration: two instances started
// together on a database whose schema is this syncd's: each took the
// migration lock to read the version, and the one that found it taken
// logged and told systemd "waiting for another instance to migrate the
// database schema" of an instance migrating nothing. A start that finds
// the schema current takes no lock, says nothing, and does not wait.
func TestAStartOnACurrentSchemaWaitsForNoMigration(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dsn := pgtest.DSN(t)
	db, err := postgres.Open(ctx, dsn) // the schema made
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	holder, err := pgx.Connect(ctx, dsn) // another instance, starting
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close(ctx)
	const migrateLock = 0x73796e6364 // the package's migration lock
	if _, err := holder.Exec(ctx, `SELECT pg_advisory_lock($1)`, migrateLock); err != nil {
		t.Fatal(err)
	}
	said := make(chan string, 4)
	opened := make(chan error, 1)
	go func() {
		db, err := postgres.OpenWith(ctx, dsn, postgres.Options{Migrating: func(s string) { said <- s }})
		if err == nil {
			db.Close()
		}
		opened <- err
	}()
	select {
	case err := <-opened:
		if err != nil {
			t.Fatal(err)
		}
	case s := <-said:
		t.Fatalf("the start said %q, another instance migrating nothing", s)
	case <-time.After(30 * time.Second):
		t.Fatal("the start waited for the migration lock of an instance migrating nothing")
	}
	if len(said) > 0 {
		t.Errorf("the start said %q", <-said)
	}
}
