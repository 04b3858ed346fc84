package sqlitetest_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/mapping"
	"github.com/syncd-dev/syncd/internal/migration"
	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/sqlite/sqlitetest"
)

// TestAtSchemaIsWhatOpenMakes: AtSchema applies the files the store
// embeds as Open does: up to the last, its database has the schema of one
// Open makes, and from each older schema Open brings it to that schema.
// Without it, an upgrade test could pass on a database no syncd made.
func TestAtSchemaIsWhatOpenMakes(t *testing.T) {
	ctx := context.Background()
	files, err := sqlitetest.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	latest := migration.Latest(files)
	fresh, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "syncd.db"), sqlite.Options{ContactKey: mapping.EmailKey})
	if err != nil {
		t.Fatal(err)
	}
	want := schemaOf(t, fresh.Reader())
	fresh.Close()
	if got := schemaOf(t, sqlitetest.AtSchema(t, filepath.Join(t.TempDir(), "syncd.db"), latest)); got != want {
		t.Fatalf("at schema %d:\n%s\nOpen made:\n%s", latest, got, want)
	}
	for _, f := range files[:len(files)-1] {
		path := filepath.Join(t.TempDir(), "syncd.db")
		sqlitetest.AtSchema(t, path, f.Version).Close()
		db, err := sqlite.Open(ctx, path, sqlite.Options{ContactKey: mapping.EmailKey})
		if err != nil {
			t.Fatalf("open a database at schema %d: %v", f.Version, err)
		}
		if from, to := db.Migrated(); from != f.Version || to != latest {
			t.Errorf("schema %d: migrated %d -> %d, want %d -> %d", f.Version, from, to, f.Version, latest)
		}
		if got := schemaOf(t, db.Reader()); got != want {
			t.Errorf("upgraded from schema %d:\n%s\nwant, as Open makes a new one:\n%s", f.Version, got, want)
		}
		db.Close()
	}
}

// schemaOf is the database's user_version and its tables' and indexes'
// SQL, by name.
func schemaOf(t *testing.T, db *sql.DB) string {
	t.Helper()
	var version string
	if err := db.QueryRow(`PRAGMA user_version`).Scan(&version); err != nil {
		t.Fatal(err)
	}
	rows, err := db.Query(`SELECT name, coalesce(sql, '') FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := []string{"user_version " + version}
	for rows.Next() {
		var name, text string
		if err := rows.Scan(&name, &text); err != nil {
			t.Fatal(err)
		}
		out = append(out, name+": "+text)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return strings.Join(out, "\n")
}
