package sqlite_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/syncd-dev/syncd/internal/sqlite"
)

// openTest opens a fresh database in a temporary directory.
func openTest(t testing.TB) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "syncd.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestOpenMigratesAndIsDurable(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	var mode string
	if err := sqlite.RawWriter(db).QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
		t.Fatalf("journal_mode = %q, %v; want wal", mode, err)
	}
	var sync int
	if err := sqlite.RawWriter(db).QueryRowContext(ctx, `PRAGMA synchronous`).Scan(&sync); err != nil || sync != 2 {
		t.Fatalf("synchronous = %d, %v; want 2 (FULL)", sync, err)
	}
	var version int
	if err := sqlite.RawWriter(db).QueryRowContext(ctx, `PRAGMA user_version`).Scan(&version); err != nil || version < 1 {
		t.Fatalf("user_version = %d, %v", version, err)
	}
	if err := db.Ping(ctx); err != nil {
		t.Fatal(err)
	}
	// Reopening an already migrated database is a no-op.
	path := db.Path()
	db.Close()
	db2, err := sqlite.Open(ctx, path, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	db2.Close()
}

func TestReadPoolIsReadOnly(t *testing.T) {
	db := openTest(t)
	if _, err := db.Reader().Exec(`INSERT INTO state (name, value, updated_at) VALUES ('x', 'y', 'z')`); err == nil {
		t.Fatal("write through the read pool succeeded")
	}
}

func TestOpenPathWithURICharacters(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "100% sure?#x")
	db, err := sqlite.Open(context.Background(), filepath.Join(dir, "syncd.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Ping(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "syncd.db")); err != nil {
		t.Fatalf("database not where asked: %v", err)
	}
}

// holdWriteLock takes the database's write lock from a connection of its
// own, as another process would (a sqlite3 shell, a backup tool), until the
// returned function is called.
func holdWriteLock(t *testing.T, path string) func() {
	t.Helper()
	other, err := sql.Open("sqlite3", "file:"+path+"?_txlock=exclusive")
	if err != nil {
		t.Fatal(err)
	}
	tx, err := other.Begin()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(`UPDATE state SET value = value`); err != nil {
		t.Fatal(err)
	}
	var once sync.Once
	release := func() { once.Do(func() { tx.Rollback(); other.Close() }) }
	t.Cleanup(release)
	return release
}
