package main_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestEraseNamesTheBackupsHoldingThePerson: a backup made with syncd
// backup holds a person erased since, and erase and export said nothing
// of it: erase's output named the CRM's records and the mailed reports
// left, not the backup, and after the erase nothing in syncd said which
// copy to delete or to erase again after restoring it. Erase now names
// each backup syncd made that is still where it wrote it and was taken
// after the person's data came, and export lists them; a backup from
// before, or one deleted since, is not named.
func TestEraseNamesTheBackupsHoldingThePerson(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	dir := t.TempDir()
	config := writeConfig(t, dir)
	makeDB(t, dir)
	before, holding, deleted := filepath.Join(dir, "before.db"), filepath.Join(dir, "holding.db"), filepath.Join(dir, "deleted.db")
	syncdOK(t, "backup", "-config", config, "-out", before)
	storeOldLeads(t, dir, e2eJane, time.Now())
	syncdOK(t, "backup", "-config", config, "-out", holding)
	syncdOK(t, "backup", "-config", config, "-out", deleted)
	if err := os.Remove(deleted); err != nil {
		t.Fatal(err)
	}
	if hits := e2eHits(t, holding, e2eJane.needles()); len(hits) == 0 {
		t.Fatal("the backup does not hold the person: the test proves nothing")
	}

	out, _, code := syncdRun(t, "export", "-config", config, "-email", e2eJane.email)
	var ex struct {
		Backups []struct {
			Path    string `json:"path"`
			TakenAt string `json:"taken_at"`
		} `json:"backups"`
	}
	if err := json.Unmarshal([]byte(out), &ex); code != 0 || err != nil {
		t.Fatalf("export: exit %d, %v\n%s", code, err, out)
	}
	if len(ex.Backups) != 1 || ex.Backups[0].Path != holding || ex.Backups[0].TakenAt == "" {
		t.Errorf("export lists the backups %+v; want only %s", ex.Backups, holding)
	}

	// A backup written twice to one place, there restored: the copy
	// inherited the list naming its own path, which is the database now,
	// not a backup.
	other := t.TempDir()
	restored := filepath.Join(other, "data", "syncd.db")
	if err := os.MkdirAll(filepath.Dir(restored), 0o750); err != nil {
		t.Fatal(err)
	}
	syncdOK(t, "backup", "-config", config, "-out", restored)
	syncdOK(t, "backup", "-config", config, "-out", restored)
	out, _, _ = syncdRun(t, "export", "-config", writeConfig(t, other), "-email", e2eJane.email)
	if strings.Contains(out, restored) {
		t.Errorf("export of a restored backup names the database itself as a backup:\n%s", out)
	}

	out = syncdOK(t, "erase", "-config", config, "-email", e2eJane.email)
	if !strings.Contains(out, "backup: "+holding+" taken at ") || !strings.Contains(out, "run this erase again") {
		t.Errorf("erase does not name the backup that holds the person:\n%s", out)
	}
	if !strings.Contains(out, "not reached by syncd: files made with syncd report -out, backups and replicas syncd backup did not make") {
		t.Errorf("erase does not say what copies it cannot know of:\n%s", out)
	}
	for _, p := range []string{before, deleted} {
		if strings.Contains(out, p) {
			t.Errorf("erase names %s, which does not hold the person:\n%s", filepath.Base(p), out)
		}
	}
}
