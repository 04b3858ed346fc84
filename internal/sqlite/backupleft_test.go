package sqlite_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestBackupDeletesWhatAKilledBackupLeft: a backup killed while copying
// (kill -9, the OOM killer, a power cut) leaves its partial copy, a hidden
// file that holds leads, beside the backups, where neither the operator's
// rotation of the backups nor an erase sees it. The next backup into that
// directory deletes such a copy last written more than an hour ago, and
// its -journal (both seen after kill -9), whatever backup's it was (a
// name with .syncd-backup.tmp), or of this backup's file under the name
// earlier versions gave (.syncd.db.3521290676.tmp); a copy written now (a
// backup running beside) and other hidden files stay.
func TestBackupDeletesWhatAKilledBackupLeft(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	dir := t.TempDir()
	now := time.Now()
	db.Now = func() time.Time { return now }
	write := func(name string, age time.Duration) string {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte("a partial copy: leads"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, now.Add(-age), now.Add(-age)); err != nil {
			t.Fatal(err)
		}
		return p
	}
	killed := []string{
		write(".syncd-2026-11-29.db.3521290676.syncd-backup.tmp", 20*time.Hour), // killed yesterday, under yesterday's name
		write(".syncd-2026-11-29.db.3521290676.syncd-backup.tmp-journal", 20*time.Hour),
		write(".syncd-2026-11-30.db.3521290676.tmp", 20*time.Hour), // an earlier version's name
		write(".syncd-2026-11-30.db.3521290676.tmp-journal", 20*time.Hour),
	}
	running := write(".syncd-2026-11-30.db.1234567.syncd-backup.tmp", time.Minute)
	runningJournal := write(".syncd-2026-11-30.db.1234567.syncd-backup.tmp-journal", 3*time.Hour) // written once, at its start
	others := []string{
		write(".notes.txt.123.tmp", 20*time.Hour),           // not a copy a backup left
		write(".syncd-2026-11-29.db.123.tmp", 20*time.Hour), // perhaps not either: another file's
		write("syncd-2026-11-28.db", 40*time.Hour),          // a backup
	}
	if err := db.Backup(ctx, filepath.Join(dir, "syncd-2026-11-30.db")); err != nil {
		t.Fatal(err)
	}
	for _, p := range killed {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("%s, left by a killed backup, is still there", filepath.Base(p))
		}
	}
	for _, p := range append(others, running, runningJournal, filepath.Join(dir, "syncd-2026-11-30.db")) {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s: %v", filepath.Base(p), err)
		}
	}
}
