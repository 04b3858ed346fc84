package sqlite_test

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestBackupOverAFileBesideTheDatabaseSuggestsAnotherDisk: a backup
// refused for naming a file beside the database that is no database (the
// erasure log) suggested a file of its own there, in the data directory:
// the operator who took it would keep the copy on the disk it is to
// survive. It suggests another disk, as for the database's own files.
func TestBackupOverAFileBesideTheDatabaseSuggestsAnotherDisk(t *testing.T) {
	db := openTest(t)
	dir := filepath.Dir(db.Path())
	log := filepath.Join(dir, "syncd-erasures.jsonl")
	if err := os.WriteFile(log, []byte(`{"salt":"00"}`+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	err := db.Backup(context.Background(), log)
	if err == nil {
		t.Fatal("a backup over the erasure log was not refused")
	}
	if msg := err.Error(); strings.Contains(msg, "e.g. "+dir+"/") || !strings.Contains(msg, "another disk") ||
		!regexp.MustCompile(`best on another disk, e\.g\. /var/backups/syncd/syncd-[0-9-]+\.db$`).MatchString(msg) {
		t.Errorf("the refusal suggests a file in the data directory, or no other disk: %s", msg)
	}
	other := filepath.Join(t.TempDir(), "notes.txt") // elsewhere: a file there of its own is fine
	if err := os.WriteFile(other, []byte("notes\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := db.Backup(context.Background(), other); err == nil || !suggested(filepath.Dir(other)).MatchString(err.Error()) {
		t.Errorf("a backup over a file elsewhere: %v", err)
	}
}
