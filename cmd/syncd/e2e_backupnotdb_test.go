package main_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestBackupOverAFileThatIsNoDatabaseRefused: `syncd backup -out` naming
// a file that is there and is no database (the erasure log beside the
// database, a tab completion away from a backup named syncd-…; the
// configuration) used to exit 0 having renamed the copy over it: the
// erasure log, which the first start on a restored backup reads to erase
// again whom it names, was gone. Now it exits 2, before anything is
// copied, leaving the file as it was; a backup over an earlier backup
// still replaces it.
func TestBackupOverAFileThatIsNoDatabaseRefused(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	config := writeConfig(t, dir)
	storeOldLeads(t, dir, e2eJane, time.Now())
	syncdOK(t, "erase", "-config", config, "-email", e2eJane.email)
	erasures := filepath.Join(dir, "data", "syncd-erasures.jsonl")
	for _, out := range []string{erasures, config} {
		before, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		stdout, stderr, code := syncdRun(t, "backup", "-config", config, "-out", out)
		if code != 2 || stdout != "" || !strings.Contains(stderr, "is not a database") ||
			!strings.Contains(stderr, "give -out another file") {
			t.Errorf("backup -out %s: exit %d\n%s%s", out, code, stdout, stderr)
		}
		if after, err := os.ReadFile(out); err != nil || !bytes.Equal(after, before) {
			t.Errorf("%s changed by the refused backup (%v)", out, err)
		}
	}
	earlier := filepath.Join(dir, "backup.db")
	syncdOK(t, "backup", "-config", config, "-out", earlier)
	syncdOK(t, "backup", "-config", config, "-out", earlier)
	if err := os.WriteFile(filepath.Join(dir, "empty.db"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	syncdOK(t, "backup", "-config", config, "-out", filepath.Join(dir, "empty.db"))
}

// TestBackupOverTheCopiesKeptBesideTheDatabaseRefused: `syncd backup -out`
// naming a copy syncd keeps beside the database, the upgrade's
// (syncd.db.schema-6.bak, the way back to the older syncd) or the one a
// daemon saved of a database removed under it (syncd.db.lost-…, the only
// place of the leads it answered), replaced it with a copy of the
// database now, exit 0. They are refused as the database's own files are.
func TestBackupOverTheCopiesKeptBesideTheDatabaseRefused(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	config := writeConfig(t, dir)
	storeOldLeads(t, dir, e2eJane, time.Now())
	kept := filepath.Join(dir, "kept.db")
	syncdOK(t, "backup", "-config", config, "-out", kept)
	before, err := os.ReadFile(kept)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"syncd.db.schema-6.bak", "syncd.db.lost-20261204T215639Z"} {
		out := filepath.Join(dir, "data", name)
		if err := os.WriteFile(out, before, 0o600); err != nil {
			t.Fatal(err)
		}
		storeOldLeads(t, dir, e2eBob, time.Now()) // the database changes: a backup now would differ
		stdout, stderr, code := syncdRun(t, "backup", "-config", config, "-out", out)
		if code != 2 || stdout != "" || !strings.Contains(stderr, "write the copy elsewhere") {
			t.Errorf("backup -out %s: exit %d\n%s%s", out, code, stdout, stderr)
		}
		if after, err := os.ReadFile(out); err != nil || !bytes.Equal(after, before) {
			t.Errorf("%s changed by the refused backup (%v)", out, err)
		}
	}
}
