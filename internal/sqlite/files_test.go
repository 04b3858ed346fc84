package sqlite_test

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/syncd-dev/syncd/internal/sqlite"
)

// underUmask runs the test body with the process umask set to mask, as a
// service started with the common 022 would have it.
func underUmask(t *testing.T, mask int) {
	old := syscall.Umask(mask)
	t.Cleanup(func() { syscall.Umask(old) })
}

func mode(t *testing.T, p string) fs.FileMode {
	t.Helper()
	st, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	return st.Mode().Perm()
}

func TestFilesAreTightUnderUmask022(t *testing.T) {
	underUmask(t, 0o022)
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "data")
	path := filepath.Join(dir, "syncd.db")
	db, err := sqlite.Open(ctx, path, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.SetStateValue(ctx, "x", "y"); err != nil { // makes -wal and -shm
		t.Fatal(err)
	}
	if m := mode(t, dir); m != 0o750 {
		t.Errorf("data directory mode %o, want 750", m)
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if m := mode(t, p); m != 0o600 {
			t.Errorf("%s mode %o, want 600", filepath.Base(p), m)
		}
	}
}

func TestOpenNarrowsOldFiles(t *testing.T) {
	underUmask(t, 0o022)
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "data")
	path := filepath.Join(dir, "syncd.db")
	db, err := sqlite.Open(ctx, path, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	db.SetStateValue(ctx, "x", "y")
	db.Close()
	for _, p := range []string{dir, path} {
		os.Chmod(p, 0o755)
	}
	db, err = sqlite.Open(ctx, path, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// Others keep passing through (the systemd layout's reports group),
	// but can no longer list.
	if m := mode(t, dir); m != 0o751 {
		t.Errorf("data directory mode %o, want 751", m)
	}
	if m := mode(t, path); m != 0o600 {
		t.Errorf("database mode %o, want 600", m)
	}
}
