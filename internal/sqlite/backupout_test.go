package sqlite_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestBackupRefusesToReplaceADatabaseInUse: `syncd backup -out` naming the
// database itself (or its -wal, or a live database beside its WAL, such as
// another agency's) used to rename the copy over it: the daemon lost its
// file, and the old WAL was later replayed onto the copy's pages. The
// backup is refused (EInvalid) and every event is still there.
func TestBackupRefusesToReplaceADatabaseInUse(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	in, _ := startIntake(t, db, sqlite.IntakeOptions{})
	for _, k := range []string{"sha256:a", "sha256:b", "sha256:c"} {
		if _, err := in.Store(ctx, incoming(k)); err != nil {
			t.Fatal(err)
		}
	}
	other := openTest(t) // another daemon's live database, with its WAL
	if _, err := os.Stat(other.Path() + "-wal"); err != nil {
		t.Fatalf("no WAL beside a database in use: %v", err)
	}
	dir := filepath.Dir(db.Path())
	link := filepath.Join(t.TempDir(), "link.db")
	if err := os.Symlink(db.Path(), link); err != nil {
		t.Fatal(err)
	}
	rel, err := filepath.Rel(mustGetwd(t), filepath.Join(dir, ".", "syncd.db"))
	if err != nil {
		t.Fatal(err)
	}
	for _, out := range []string{db.Path(), rel, link, db.Path() + "-wal", db.Path() + "-shm", other.Path()} {
		err := db.Backup(ctx, out)
		if err == nil || syncd.ErrorCode(err) != syncd.EInvalid || !strings.Contains(err.Error(), "elsewhere") {
			t.Fatalf("backup -out %s: %v; want it refused", out, err)
		}
	}
	for _, d := range []*sqlite.DB{db, other} {
		if err := d.Ping(ctx); err != nil {
			t.Fatalf("%s after the refused backups: %v", d.Path(), err)
		}
	}
	if _, err := db.Event(ctx, 3); err != nil {
		t.Fatalf("event 3 after the refused backups: %v", err)
	}
	if err := db.Backup(ctx, filepath.Join(t.TempDir(), "syncd.db")); err != nil {
		t.Fatalf("a backup elsewhere: %v", err)
	}
}

func mustGetwd(t *testing.T) string {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	return wd
}

// TestBackupMarksTheCopy: the copy records when it was taken and drops the
// restored_at it inherited from a database that was itself restored, so
// that the daemon tells each restore; nothing is left beside it.
func TestBackupMarksTheCopy(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	if err := db.SetStateValue(ctx, sqlite.StateRestoredAt, "2026-01-01T00:00:00Z"); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	out := filepath.Join(dir, "copy.db")
	if err := db.Backup(ctx, out); err != nil {
		t.Fatal(err)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, "*")); len(left) != 1 {
		t.Fatalf("files beside the backup: %v", left)
	}
	c, err := sqlite.Open(ctx, out, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if v, ok, err := c.StateValue(ctx, sqlite.StateBackupTaken); err != nil || !ok {
		t.Fatalf("backup_taken_at in the copy: %q %v %v", v, ok, err)
	} else if at, err := syncd.ParseTime(v); err != nil || time.Since(at) > time.Minute {
		t.Fatalf("backup_taken_at %q: %v", v, err)
	}
	if v, ok, _ := c.StateValue(ctx, sqlite.StateRestoredAt); ok {
		t.Fatalf("restored_at %q inherited by the copy", v)
	}
}

// TestBackupIntoADirectoryIsRefused: -out naming a directory (the backups'
// folder, with or without its slash) copied the whole database, then
// failed to rename the copy over the folder, exit 1, naming a hidden
// temporary file: `rename bk/.bk.1602011884.syncd-backup.tmp bk/: file
// exists`, which read as if an existing backup could not be replaced.
// It is refused before anything is copied, naming the folder and a file
// to give instead (exit 2, as the other -out syncd refuses).
func TestBackupIntoADirectoryIsRefused(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	dir := t.TempDir()
	for _, out := range []string{dir, dir + string(filepath.Separator)} {
		err := db.Backup(ctx, out)
		if err == nil || syncd.ErrorCode(err) != syncd.EInvalid || !strings.Contains(err.Error(), out+" is a directory") ||
			!suggested(dir).MatchString(err.Error()) || strings.Contains(err.Error(), ".tmp") {
			t.Fatalf("backup -out %s: %v; want it refused, naming the directory and a file in it", out, err)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("the refused backups left %d files in %s", len(entries), dir)
	}
}
