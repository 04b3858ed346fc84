package postgres

import (
	"context"
	"slices"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
	"github.com/syncd-dev/syncd/internal/sqlite"
)

// TestCopyLeavesOutSQLitesOwnStateRows: syncd migrate-store copied every
// state row of the SQLite store into PostgreSQL, those that mean something
// to the SQLite store alone with them: "serving", the SQLite daemon's mark
// that it serves the file (sqlite.StateServing), which each open of the
// file writes anew, so a second run took the copy for changed since; and
// "seen_keys.through" and "seen_keys.window", how far the SQLite intake
// swept its duplicate keys (PostgreSQL keeps its own, intake_keys). They
// are left out; every other row (the privacy salt, the first start, a
// pause) is copied.
func TestCopyLeavesOutSQLitesOwnStateRows(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	src := sqliteWithALead(t)
	for name, value := range map[string]string{sqlite.StateServing: "host:1", "seen_keys.through": "1",
		"seen_keys.window": "86400", "sync_paused_until.hubspot": "kept"} {
		if err := src.SetStateValue(ctx, name, value); err != nil {
			t.Fatal(err)
		}
	}
	var want []string
	rows, err := src.Reader().QueryContext(ctx, `SELECT name FROM state
		WHERE name NOT IN ('serving', 'seen_keys.through', 'seen_keys.window') ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var n string
		rows.Scan(&n)
		want = append(want, n)
	}
	rows.Close()
	if !slices.Contains(want, "sync_paused_until.hubspot") {
		t.Fatalf("the SQLite store's state rows: %q", want)
	}
	dst, err := Open(ctx, pgtest.DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	defer dst.Close()
	if _, err := dst.CopyFrom(ctx, src.Reader()); err != nil {
		t.Fatal(err)
	}
	pgRows, err := dst.pool.Query(ctx, `SELECT name FROM state WHERE name = ANY($1) OR name IN ('serving', 'seen_keys.through', 'seen_keys.window') ORDER BY name`, want)
	if err != nil {
		t.Fatal(err)
	}
	got, err := pgx.CollectRows(pgRows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, want) {
		t.Errorf("state rows copied: %q, want %q (the SQLite store's own left out)", got, want)
	}
}
