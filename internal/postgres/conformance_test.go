package postgres_test

import (
	"context"
	"os"
	"testing"
	"time"

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
		}}
	}
}

// TestConformance runs the store conformance suite, the same tests the
// SQLite store passes.
func TestConformance(t *testing.T) { storetest.Run(t, open) }
