package postgres

import (
	"context"
	"database/sql"
	"testing"

	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestCopyGivesNoOperationIDTheSQLiteStoreGave: syncd migrate-store set
// the outbox's sequence past the highest operation id copied; the SQLite
// store's newest operations erased before the copy (an erasure, the
// purge) had given higher ones, and PostgreSQL gave them again to the next
// leads' operations, which a log line or workbook from before the move
// named. The sequence goes on past the highest id SQLite ever gave.
func TestCopyGivesNoOperationIDTheSQLiteStoreGave(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	src := sqliteWithALead(t)
	enqueue := func(rec func(context.Context, []syncd.Mapping) (int, error), key string) {
		t.Helper()
		op := syncd.Op{EventID: 1, Target: "hubspot", Kind: syncd.RecordContact, Key: key, KeyKind: syncd.KeyEmail,
			Properties: map[string]string{"email": key}, MappingFile: "lb.yaml", MappingHash: "h"}
		if n, err := rec(ctx, []syncd.Mapping{{EventID: 1, State: syncd.MapMapped, Ops: []syncd.Op{op}}}); err != nil || n != 1 {
			t.Fatalf("enqueue %s: %d, %v", key, n, err)
		}
	}
	enqueue(src.RecordMappings, "a@example.com")
	enqueue(src.RecordMappings, "b@example.com") // operation 2: erased before the copy
	raw, err := sql.Open("sqlite3", src.Path())
	if err != nil {
		t.Fatal(err)
	}
	_, err = raw.Exec(`DELETE FROM outbox WHERE id = 2`)
	raw.Close()
	if err != nil {
		t.Fatal(err)
	}
	dst, err := Open(ctx, pgtest.DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	defer dst.Close()
	if _, err := dst.CopyFrom(ctx, src.Reader()); err != nil {
		t.Fatal(err)
	}
	enqueue(dst.RecordMappings, "c@example.com")
	ops, err := dst.ListOps(ctx, syncd.OpFilter{Limit: -1})
	if err != nil {
		t.Fatal(err)
	}
	for _, op := range ops {
		if op.Key == "c@example.com" && op.ID <= 2 {
			t.Errorf("the first operation after the copy got id %d; SQLite gave 1 and 2", op.ID)
		}
	}
}
