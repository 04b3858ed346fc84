package sqlite_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/mapping"
	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestUpgradeKeepsOperationIDsAndGivesNoneAgain: the migration that makes
// the outbox give no operation id twice (0017) makes the table again; on
// each older version's database every operation keeps its id, state and
// properties, and once the newest one is deleted (an erasure, the purge,
// outbox drop) the next operation gets a new id, not the deleted one's,
// which a log line or workbook from before may name.
func TestUpgradeKeepsOperationIDsAndGivesNoneAgain(t *testing.T) {
	ctx := context.Background()
	const ops = `SELECT coalesce(group_concat(id || ' ' || event_id || ' ' || state || ' ' || props_hash || ' ' || attempts, ';'), '')
		FROM (SELECT * FROM outbox ORDER BY id)`
	for _, fixture := range upgradeFixtures(t) {
		t.Run(filepath.Base(fixture), func(t *testing.T) {
			path := restoreDump(t, fixture)
			if countRows(t, path, `SELECT count(*) FROM outbox`) == 0 {
				t.Skip("no operations in this version's database")
			}
			var before string
			raw, err := sql.Open("sqlite3", path)
			if err != nil {
				t.Fatal(err)
			}
			err = raw.QueryRow(ops).Scan(&before)
			raw.Close()
			if err != nil {
				t.Fatal(err)
			}
			db, err := sqlite.Open(ctx, path, sqlite.Options{ContactKey: mapping.EmailKey})
			if err != nil {
				t.Fatalf("open the older database: %v", err)
			}
			defer db.Close()
			w := sqlite.RawWriter(db)
			var after string
			if err := w.QueryRow(ops).Scan(&after); err != nil {
				t.Fatal(err)
			}
			if after != before {
				t.Fatalf("operations after the upgrade:\n%s\nbefore:\n%s", after, before)
			}
			var top, ev int64
			if err := w.QueryRow(`SELECT (SELECT max(id) FROM outbox),
				(SELECT max(o.event_id) FROM outbox o JOIN events e ON e.id = o.event_id WHERE e.erased_at IS NULL AND e.purged_at IS NULL)`).Scan(&top, &ev); err != nil {
				t.Fatal(err)
			}
			if _, err := w.Exec(`DELETE FROM outbox WHERE id = ?`, top); err != nil {
				t.Fatal(err)
			}
			op := syncd.Op{EventID: ev, Target: "hubspot", Kind: syncd.RecordContact, Key: "after-the-upgrade@example.com",
				KeyKind: syncd.KeyEmail, Properties: map[string]string{"email": "after-the-upgrade@example.com"},
				MappingFile: "lb.yaml", MappingHash: "h"}
			if n, err := db.RecordMappings(ctx, []syncd.Mapping{{EventID: ev, State: syncd.MapMapped, Ops: []syncd.Op{op}}}); err != nil || n != 1 {
				t.Fatalf("enqueue after the upgrade: %d, %v", n, err)
			}
			var id int64
			if err := w.QueryRow(`SELECT id FROM outbox WHERE key = ?`, op.Key).Scan(&id); err != nil {
				t.Fatal(err)
			}
			if id <= top {
				t.Errorf("operation %d deleted, the next one got id %d: a log line naming %[1]d now names another", top, id)
			}
		})
	}
}

// TestRestoredBackupGivesOperationIDsFromItsSequence: a restored backup
// whose newest operations were deleted before it was taken (an erasure)
// gives new operations ids past the highest it ever gave, and says new
// ids are given again from there (syncd outbox show of a deleted one's id
// said it was one given again since the restore, which it never was).
func TestRestoredBackupGivesOperationIDsFromItsSequence(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	in, _ := startIntake(t, db, sqlite.IntakeOptions{})
	ev := storeN(t, in, "lead", 1)[0]
	enqueue := func(db *sqlite.DB, key string) int64 {
		t.Helper()
		op := syncd.Op{EventID: ev, Target: "hubspot", Kind: syncd.RecordContact, Key: key, KeyKind: syncd.KeyEmail,
			Properties: map[string]string{"email": key}, MappingFile: "lb.yaml", MappingHash: "h"}
		if _, err := db.RecordMappings(ctx, []syncd.Mapping{{EventID: ev, State: syncd.MapMapped, Ops: []syncd.Op{op}}}); err != nil {
			t.Fatal(err)
		}
		var id int64
		if err := sqlite.RawWriter(db).QueryRow(`SELECT id FROM outbox WHERE key = ?`, key).Scan(&id); err != nil {
			t.Fatal(err)
		}
		return id
	}
	enqueue(db, "a@example.com")
	erased := enqueue(db, "b@example.com")
	if _, err := sqlite.RawWriter(db).Exec(`DELETE FROM outbox WHERE id = ?`, erased); err != nil {
		t.Fatal(err)
	}
	c, _ := restoredCopy(t, db, in, time.Hour)
	if _, _, err := c.SkipLostEventIDs(ctx); err != nil {
		t.Fatal(err)
	}
	from, ok, err := c.StateValue(ctx, sqlite.StateOutboxIDsReused)
	if err != nil || !ok || from != fmt.Sprint(erased+1) {
		t.Fatalf("operation ids given again from %q (%v, %v); want %d, past the erased %d", from, ok, err, erased+1, erased)
	}
	if id := enqueue(c, "c@example.com"); id != erased+1 {
		t.Fatalf("the restore's first operation got id %d; want %d", id, erased+1)
	}
}
