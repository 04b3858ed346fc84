package postgres

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/syncd-dev/syncd/internal/migration"
	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
)

// MeasureClock measures this host's clock against the server's again, as
// Open does. A test that sets Now after Open calls it: otherwise what it
// does next races the first heartbeat, which measures the clock just after
// recording the instance that Instances shows.
func (db *DB) MeasureClock(ctx context.Context) error { return db.measureClock(ctx) }

// PoolConns is how many connections the pool holds now.
func (db *DB) PoolConns() int32 { return db.pool.Stat().TotalConns() }

// LockKey is the advisory lock key of a led part.
func LockKey(part string) int64 { return lockKey(part) }

// SessionsState prefixes the state row holding an instance's session lock key.
const SessionsState = sessionsState

// AtSchema gives a test a new database at schema version n: the
// migrations numbered up to n alone applied, each as Open applies it to a
// new database (apply), so that a later migration changes nothing of it.
// It returns the database's DSN, for Open to migrate it the rest of the
// way, and a connection to it through which the test stores what a syncd
// of that schema stored, closed when the test ends. n must be a
// migration's number.
func AtSchema(t testing.TB, n int) (string, *pgx.Conn) {
	t.Helper()
	ctx := context.Background()
	dsn := pgtest.DSN(t)
	files, err := migration.List(migrations, "migrations/*.sql")
	if err != nil {
		t.Fatal(err)
	}
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	if err := createSchemaVersion(ctx, conn); err != nil {
		t.Fatal(err)
	}
	reached := 0
	for _, f := range files {
		if f.Version > n {
			break
		}
		if err := apply(ctx, conn, f.Version, f.Path, false, nil, nil, nil); err != nil {
			t.Fatalf("schema %d: %s: %v", n, f.Path, err)
		}
		reached = f.Version
	}
	if reached != n {
		t.Fatalf("schema %d: no migration has that number (the last up to it is %d)", n, reached)
	}
	return dsn, conn
}
