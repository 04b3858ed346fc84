package postgres_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/syncd-dev/syncd/internal/postgres"
	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
	"github.com/syncd-dev/syncd/internal/storetest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// open returns a way to open handles on a fresh database.
func open(t *testing.T) func(now func() time.Time) storetest.Handle {
	dsn := pgtest.DSN(t)
	return func(now func() time.Time) storetest.Handle {
		db, err := postgres.Open(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		db.Now = now
		return storetest.Handle{Store: db, NewIntake: func(w time.Duration) storetest.Intake {
			return db.NewIntake(postgres.IntakeOptions{Window: w})
		}, RefuseContact: func(key string) { pgtest.RefuseContact(t, dsn, key) },
			Busy:                func() (storetest.Store, func()) { return busy(t, dsn, now) },
			PurgedKeepingFields: func(id int64) { purgedKeepingFields(t, dsn, id) },
			TypesMigrated:       func() { typesMigrated(t, dsn) }}
	}
}

// TestConformance runs the store conformance suite, the same tests the
// SQLite store passes.
func TestConformance(t *testing.T) { storetest.Run(t, open) }

// busy locks the events and outbox tables of the database at dsn against
// writes from another connection, as a VACUUM FULL or a long maintenance
// transaction does, and opens a store on it whose sessions wait 100 ms for
// a lock (lock_timeout, as an operator may set it in the DSN or the role).
func busy(t *testing.T, dsn string, now func() time.Time) (storetest.Store, func()) {
	t.Helper()
	db, err := postgres.Open(context.Background(), dsn+"&lock_timeout=100")
	if err != nil {
		t.Fatal(err)
	}
	db.Now = now
	t.Cleanup(func() { db.Close() })
	ctx := context.Background()
	conn := rawConn(t, dsn)
	tx, err := conn.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, `LOCK TABLE events, outbox IN EXCLUSIVE MODE`); err != nil {
		t.Fatal(err)
	}
	return db, func() {
		if err := tx.Rollback(ctx); err != nil {
			t.Fatal(err)
		}
	}
}

// rawConn connects to dsn without the store, closed at the end.
func rawConn(t *testing.T, dsn string) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

// purgedKeepingFields empties event id's body in the database at dsn as
// an older syncd's purge did, its type and key kept as they are.
func purgedKeepingFields(t *testing.T, dsn string, id int64) {
	t.Helper()
	if _, err := pgtest.Conn(t, dsn).Exec(context.Background(), `UPDATE events SET body = '', payload = NULL, map_error = '', purged_at = now() WHERE id = $1`, id); err != nil {
		t.Fatal(err)
	}
}

// typesMigrated runs the stored types' migration step on the database at
// dsn, in a transaction of its own.
func typesMigrated(t *testing.T, dsn string) {
	t.Helper()
	if err := postgres.MigrateTypes(context.Background(), pgtest.Conn(t, dsn)); err != nil {
		t.Fatal(err)
	}
}
