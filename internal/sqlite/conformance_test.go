package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/storetest"
)

// TestConformance runs the store conformance suite, the same tests the
// PostgreSQL store passes.
func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) func(now func() time.Time) storetest.Handle {
		path := filepath.Join(t.TempDir(), "syncd.db")
		return func(now func() time.Time) storetest.Handle {
			db, err := sqlite.Open(context.Background(), path, sqlite.Options{})
			if err != nil {
				t.Fatal(err)
			}
			db.Now = now
			return storetest.Handle{Store: db, NewIntake: func(w time.Duration) storetest.Intake {
				return db.NewIntake(sqlite.IntakeOptions{Window: w})
			}}
		}
	})
}
