package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
)

func TestUnconfirmedCreates(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "syncd.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	now := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
	for _, in := range []struct {
		key string
		at  time.Time
	}{{"old@x", now.Add(-time.Hour)}, {"linked@x", now.Add(-time.Hour)}, {"new@x", now.Add(-time.Minute)}} {
		if err := db.SetIntent(ctx, "pipedrive", syncd.RecordContact, in.key, in.at); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.SetLink(ctx, "pipedrive", syncd.RecordContact, "linked@x", "17"); err != nil {
		t.Fatal(err)
	}
	n, err := db.UnconfirmedCreates(ctx, "pipedrive", now.Add(-10*time.Minute))
	if err != nil || n != 1 {
		t.Fatalf("got %d, %v; want 1 (old@x: unlinked and older than 10 minutes)", n, err)
	}
	if n, _ := db.UnconfirmedCreates(ctx, "hubspot", now); n != 0 {
		t.Fatalf("another target: %d", n)
	}
}
