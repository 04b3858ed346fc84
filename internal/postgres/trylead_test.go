package postgres_test

import (
	"context"
	"testing"

	"github.com/syncd-dev/syncd/internal/postgres"
	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
)

// TestTryLeadReleasesAtOnce: a one-off run's lock is free as soon as
// TryLead returns, so the next one-off run right after it runs too.
func TestTryLeadReleasesAtOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := postgres.Open(ctx, pgtest.DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for i := range 300 {
		ran, err := db.TryLead(ctx, "purge", func(context.Context) error { return nil })
		if err != nil || !ran {
			t.Fatalf("run %d: ran %v, %v; want it to run", i, ran, err)
		}
	}
}
