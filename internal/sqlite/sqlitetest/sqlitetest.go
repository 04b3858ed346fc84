// Package sqlitetest gives tests a real SQLite database at an older
// schema: a file to which the store's migrations 1..N alone were applied,
// for a test of an upgrade to fill with what a syncd of schema N stored
// and then open with sqlite.Open, which migrates it the rest of the way.
// Made so, the file is what that syncd left whatever migrations come
// after N, and a new migration changes none of these tests.
//
// The migrations are read from internal/sqlite/migrations in the source
// tree, the files the store embeds; TestAtSchemaIsWhatOpenMakes checks
// that, applied up to the last, they make the schema Open makes.
package sqlitetest

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	_ "github.com/mattn/go-sqlite3" // the driver the store uses

	"github.com/syncd-dev/syncd/internal/migration"
)

// AtSchema creates the database file path at schema version n, applying
// the migrations numbered up to n in order, each in its own transaction
// that sets PRAGMA user_version to its number, as sqlite.Open does for a
// new file. It returns a connection to the file, for the test to put in
// what a syncd of that schema stored; close it before sqlite.Open (the
// test's end closes it too). n must be a migration's number.
func AtSchema(t testing.TB, path string, n int) *sql.DB {
	t.Helper()
	ctx := context.Background()
	files, err := Migrations()
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite3", "file:"+filepath.ToSlash(path)+"?_journal_mode=WAL&_foreign_keys=1&_txlock=immediate")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	db.SetMaxOpenConns(1)
	reached := 0
	for _, f := range files {
		if f.Version > n {
			break
		}
		if err := apply(ctx, db, f); err != nil {
			t.Fatalf("schema %d: %v", n, err)
		}
		reached = f.Version
	}
	if reached != n {
		t.Fatalf("schema %d: no migration has that number (the last up to it is %d)", n, reached)
	}
	return db
}

// Migrations lists the store's migrations, by version.
func Migrations() ([]migration.File, error) {
	return migration.List(os.DirFS(dir()), "*.sql")
}

// apply runs migration f in its own transaction, recording its version.
func apply(ctx context.Context, db *sql.DB, f migration.File) error {
	body, err := os.ReadFile(filepath.Join(dir(), f.Path))
	if err != nil {
		return err
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, string(body)); err != nil {
		return fmt.Errorf("%s: %w", f.Path, err)
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf(`PRAGMA user_version = %d`, f.Version)); err != nil {
		return fmt.Errorf("%s: %w", f.Path, err)
	}
	return tx.Commit()
}

// dir is internal/sqlite/migrations in the source tree this file is in.
func dir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "migrations")
}
