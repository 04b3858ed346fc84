package sqlite_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/sqlite"
)

// TestOpenNamesAFileThatIsNotADatabase: a damaged syncd.db (here a file of
// text in its place) used to fail with "migrate: file is not a database",
// naming neither the file nor what to do, as if syncd were migrating it.
// With or without ReadOnlyFallback, Open names the file and the way out, and
// leaves the file as it was.
func TestOpenNamesAFileThatIsNotADatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "syncd.db")
	junk := bytes.Repeat([]byte("not a database "), 500)
	if err := os.WriteFile(path, junk, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, opts := range []sqlite.Options{{}, {ReadOnlyFallback: true}} {
		db, err := sqlite.Open(context.Background(), path, opts)
		if err == nil {
			db.Close()
			t.Fatalf("Open(%+v) of a file that is not a database: no error", opts)
		}
		if want := path + " is not an SQLite database (damaged, or another file in its place): restore it from a backup"; !strings.Contains(err.Error(), want) ||
			!strings.HasPrefix(err.Error(), "open db: ") {
			t.Errorf("Open(%+v): %v\nwant %q", opts, err, want)
		}
	}
	if b, _ := os.ReadFile(path); !bytes.Equal(b, junk) {
		t.Fatal("the file was changed")
	}
}
