package main_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/sqlite"
)

// TestPurgeNamesTheBackupsOlderThanTheRetention: a backup syncd backup
// made, taken longer ago than retention.event_days, holds every lead of
// then, long past the retention, and syncd purge said nothing of it: a
// DPO reading "purged: ..." took the person's data as gone. It names each
// such backup still at its path (not one taken within the retention),
// with the setting it is past, and what to do.
func TestPurgeNamesTheBackupsOlderThanTheRetention(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	config := writeConfigWith(t, dir, "retention:\n  event_days: 30\n  quarantine_days: 60\n  outbox_days: 60\n")
	storeOldLeads(t, dir, e2eJane, time.Now().AddDate(0, 0, -40))
	old, recent := filepath.Join(dir, "data", "backup-old.db"), filepath.Join(dir, "backup-recent.db")
	syncdOK(t, "backup", "-config", config, "-out", old)
	syncdOK(t, "backup", "-config", config, "-out", recent)
	if hits := e2eHits(t, old, e2eJane.needles()); len(hits) == 0 {
		t.Fatal("the backup does not hold the person: the test proves nothing")
	}
	ageBackup(t, dir, old, time.Now().AddDate(0, 0, -31))

	out := syncdOK(t, "purge", "-config", config)
	if !strings.Contains(out, "backup: "+old+" taken at ") || !strings.Contains(out, "retention.event_days") {
		t.Errorf("purge does not name the backup older than retention.event_days:\n%s", out)
	}
	if strings.Contains(out, recent) {
		t.Errorf("purge names a backup taken within the retention:\n%s", out)
	}
}

// ageBackup records the backup at path, made by syncd backup in the
// database of a configuration configYAML wrote in dir, as taken at at.
func ageBackup(t *testing.T, dir, path string, at time.Time) {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(dir, "data", "syncd.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	v, _, err := db.StateValue(ctx, "backups")
	if err != nil {
		t.Fatal(err)
	}
	var list []map[string]any
	if err := json.Unmarshal([]byte(v), &list); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, b := range list {
		if b["path"] == path {
			b["taken_at"], found = at.UTC(), true
		}
	}
	if !found {
		t.Fatalf("no backup recorded at %s: %s", path, v)
	}
	b, _ := json.Marshal(list)
	if err := db.SetStateValue(ctx, "backups", string(b)); err != nil {
		t.Fatal(err)
	}
}

// TestExportAfterEraseNamesTheBackupsStillHoldingThePerson: export names
// the backups syncd backup made that hold the person, found from the
// times of their data; once erase had removed that data, an export (the
// person asking what is still held after their erasure) said "backups":
// [] while the backup taken before the erase, still where it was written,
// held them whole. It names each backup taken between the first thing an
// erasure of the person removed and that erasure, as erase did, and not
// one taken after the erasure.
func TestExportAfterEraseNamesTheBackupsStillHoldingThePerson(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	dir := t.TempDir()
	config := writeConfig(t, dir)
	storeOldLeads(t, dir, e2eJane, time.Now().AddDate(0, 0, -1))
	before, after := filepath.Join(dir, "before.db"), filepath.Join(dir, "after.db")
	syncdOK(t, "backup", "-config", config, "-out", before)
	if out := syncdOK(t, "erase", "-config", config, "-email", e2eJane.email); !strings.Contains(out, "backup: "+before) {
		t.Fatalf("erase does not name the backup holding the person: the test proves nothing:\n%s", out)
	}
	syncdOK(t, "backup", "-config", config, "-out", after)

	var out struct {
		Backups []struct{ Path string } `json:"backups"`
	}
	if err := json.Unmarshal([]byte(syncdOK(t, "export", "-config", config, "-email", e2eJane.email)), &out); err != nil {
		t.Fatal(err)
	}
	if len(out.Backups) != 1 || out.Backups[0].Path != before {
		t.Errorf("export after the erase names the backups %+v; want %s alone, which still holds the person", out.Backups, before)
	}
}

// TestPurgeDeletesThePartialCopyAKilledBackupLeft: a backup killed midway
// (kill -9, a power cut) leaves a hidden partial copy holding leads beside
// the file it was writing, which only the next backup into that directory
// deleted: with none after it (a one-off backup, a rotation stopped), it
// held the person past every retention, where neither purge nor erase
// looked. The retention purge deletes it, once an hour old, beside every
// backup syncd backup made, and says so; it leaves one still being written.
func TestPurgeDeletesThePartialCopyAKilledBackupLeft(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	config := writeConfig(t, dir)
	storeOldLeads(t, dir, e2eJane, time.Now().AddDate(0, 0, -1))
	backups := filepath.Join(dir, "backups")
	if err := os.Mkdir(backups, 0o700); err != nil {
		t.Fatal(err)
	}
	syncdOK(t, "backup", "-config", config, "-out", filepath.Join(backups, "syncd.db"))
	body, err := os.ReadFile(filepath.Join(backups, "syncd.db"))
	if err != nil {
		t.Fatal(err)
	}
	killed, running := filepath.Join(backups, ".syncd.db.123.syncd-backup.tmp"), filepath.Join(backups, ".syncd.db.456.syncd-backup.tmp")
	for _, f := range []string{killed, running} {
		if err := os.WriteFile(f, body, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	old := time.Now().Add(-2 * time.Hour)
	if err := os.Chtimes(killed, old, old); err != nil {
		t.Fatal(err)
	}

	out := syncdOK(t, "purge", "-config", config)
	if _, err := os.Stat(killed); err == nil {
		t.Errorf("the partial copy a killed backup left two hours ago is still there after syncd purge:\n%s", out)
	}
	if !strings.Contains(out, "backup: deleted "+killed) {
		t.Errorf("purge does not say it deleted the partial copy:\n%s", out)
	}
	if _, err := os.Stat(running); err != nil {
		t.Errorf("purge deleted a partial copy written a moment ago (a backup running now): %v", err)
	}
}
