package sqlite_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/mapping"
	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// upgradeFixtures are the databases older syncd versions made, as SQL
// dumps (testdata/upgrade/README.md says which commit made each).
func upgradeFixtures(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("../../testdata/upgrade/*.sql")
	if err != nil || len(files) == 0 {
		t.Fatalf("no upgrade fixtures: %v", err)
	}
	return files
}

// restoreDump loads a fixture into a new database file, as the older
// version left it (its user_version included), and returns its path.
func restoreDump(t *testing.T, fixture string) string {
	t.Helper()
	dump, err := os.ReadFile(fixture)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "syncd.db")
	raw, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(string(dump)); err != nil {
		t.Fatalf("load %s: %v", fixture, err)
	}
	return path
}

// schemaOf is every table, index and column definition of the database,
// comments and spacing aside, keyed by name.
func schemaOf(t *testing.T, db *sql.DB) map[string]string {
	t.Helper()
	rows, err := db.Query(`SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	comment, space := regexp.MustCompile(`--[^\n]*`), regexp.MustCompile(`\s+`)
	schema := map[string]string{}
	for rows.Next() {
		var typ, name, def string
		if err := rows.Scan(&typ, &name, &def); err != nil {
			t.Fatal(err)
		}
		def = space.ReplaceAllString(comment.ReplaceAllString(def, ""), "")
		schema[typ+" "+name] = def
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	cols, err := db.Query(`SELECT m.name, p.name, p.type, p."notnull", coalesce(p.dflt_value, '')
		FROM sqlite_master m, pragma_table_info(m.name) p WHERE m.type = 'table'`)
	if err != nil {
		t.Fatal(err)
	}
	defer cols.Close()
	for cols.Next() {
		var table, col, typ, notNull, dflt string
		if err := cols.Scan(&table, &col, &typ, &notNull, &dflt); err != nil {
			t.Fatal(err)
		}
		schema["column "+table+"."+col] = typ + " " + notNull + " " + dflt
	}
	return schema
}

// TestUpgradeFromOlderVersionsGivesTodaysSchema opens each older version's
// database with this one: it must migrate to exactly the schema a new
// database gets (a migration edited after it shipped leaves databases made
// before the edit without what the code relies on), keep every row, and
// then store, find duplicates and claim operations as a new one does.
func TestUpgradeFromOlderVersionsGivesTodaysSchema(t *testing.T) {
	want := schemaOf(t, sqlite.RawWriter(openTest(t)))
	for _, fixture := range upgradeFixtures(t) {
		t.Run(filepath.Base(fixture), func(t *testing.T) {
			path := restoreDump(t, fixture)
			before := rowCounts(t, path)
			intents := countRows(t, path, `SELECT count(*) FROM pragma_user_version
				LEFT JOIN crm_links ON kind LIKE '%\_intent' ESCAPE '\' AND crm_id <> '' WHERE user_version < 4 AND key IS NOT NULL`)
			db, err := sqlite.Open(context.Background(), path, sqlite.Options{ContactKey: mapping.EmailKey})
			if err != nil {
				t.Fatalf("open the older database: %v", err)
			}
			defer db.Close()
			got := schemaOf(t, sqlite.RawWriter(db))
			for name, def := range want {
				if got[name] != def {
					t.Errorf("%s after the upgrade:\n got %q\nwant %q", name, got[name], def)
				}
			}
			for name := range got {
				if _, ok := want[name]; !ok {
					t.Errorf("%s is left over after the upgrade", name)
				}
			}
			if after := rowCounts(t, path); after.events != before.events || after.quarantine != before.quarantine ||
				after.pending != before.pending || after.done != before.done || after.dead != before.dead || after.reports != before.reports {
				t.Errorf("rows before the upgrade %+v, after %+v", before, after)
			}
			if n := countRows(t, path, `SELECT count(*) FROM crm_intents`); before.version < 4 && n != intents {
				t.Errorf("%d create intents after the upgrade, want the %d kept in crm_links before", n, intents)
			}
			// The unmappable leads the older syncd left wait for a person
			// after the upgrade, found in the index 0011 made of them.
			held := countRows(t, path, `SELECT count(*) FROM events WHERE map_state = 'unmappable' AND erased_at IS NULL AND purged_at IS NULL`)
			if n, err := db.CountEvents(context.Background(), syncd.EventFilter{Unattended: true}); err != nil || n != held {
				t.Errorf("unmappable leads waiting after the upgrade: %d, %v; want the %d held", n, err, held)
			}
			checkUpgradedWorks(t, db)
		})
	}
}

// counts is how many rows the tables an operator cares about hold.
type counts struct{ version, events, quarantine, pending, done, dead, reports int }

func rowCounts(t *testing.T, path string) counts {
	t.Helper()
	raw, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var c counts
	err = raw.QueryRow(`SELECT (SELECT user_version FROM pragma_user_version), (SELECT count(*) FROM events), (SELECT count(*) FROM quarantine),
		(SELECT count(*) FROM outbox WHERE state = 'pending'), (SELECT count(*) FROM outbox WHERE state = 'done'),
		(SELECT count(*) FROM outbox WHERE state = 'dead'), (SELECT count(*) FROM reports)`).
		Scan(&c.version, &c.events, &c.quarantine, &c.pending, &c.done, &c.dead, &c.reports)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func countRows(t *testing.T, path, query string) int {
	t.Helper()
	raw, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var n int
	if err := raw.QueryRow(query).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// checkUpgradedWorks stores a new delivery, finds a stored one a duplicate,
// and claims the pending contact operations of every target.
func checkUpgradedWorks(t *testing.T, db *sqlite.DB) {
	t.Helper()
	ctx := context.Background()
	var source, kind, key string
	var first int64
	err := sqlite.RawWriter(db).QueryRow(`SELECT id, source, kind, idem_key FROM events ORDER BY id LIMIT 1`).
		Scan(&first, &source, &kind, &key)
	if err != nil {
		t.Fatal(err)
	}
	in, _ := startIntake(t, db, sqlite.IntakeOptions{Window: 10 * 365 * 24 * time.Hour})
	old := syncd.Incoming{Source: source, Kind: syncd.Kind(kind), Key: key, Body: []byte(`{}`),
		Parse: syncd.ParseStrict, RemoteAddr: "127.0.0.1"}
	if r, err := in.Store(ctx, old); err != nil || r.Outcome != syncd.Duplicate || r.ID != first {
		t.Errorf("a stored delivery again: %+v, %v; want a duplicate of event %d", r, err, first)
	}
	if r, err := in.Store(ctx, incoming("sha256:after-the-upgrade")); err != nil || r.Outcome == syncd.Duplicate {
		t.Errorf("a new delivery: %+v, %v; want it stored", r, err)
	}
	db.Now = func() time.Time { return time.Now().Add(24 * time.Hour) } // past every lease and back-off
	rows, err := sqlite.RawWriter(db).Query(`SELECT target, count(*) FROM outbox
		WHERE state = 'pending' AND kind = 'contact' GROUP BY target`)
	if err != nil {
		t.Fatal(err)
	}
	pending := map[string]int{}
	for rows.Next() {
		var target string
		var n int
		rows.Scan(&target, &n)
		pending[target] = n
	}
	rows.Close()
	for target, n := range pending {
		ops, err := db.FinishAndClaimOps(ctx, nil, target, syncd.RecordContact, 100, time.Minute)
		if err != nil || len(ops) != n {
			t.Errorf("claim %s contacts: %d of %d pending, %v", target, len(ops), n, err)
		}
	}
}
