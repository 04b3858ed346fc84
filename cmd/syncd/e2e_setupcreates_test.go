package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestCRMSetupSaysItMadeTheDatabase: on Pipedrive `crm setup` makes the
// database where there is none, to keep the keys of the fields it makes.
// Run before the daemon's first start that is the database the daemon
// takes; run from another directory than the daemon's with data_dir:
// ./data (the example's) it made one there without a word, a database and
// a marker no daemon would serve, while the README says only serve creates
// one. Now setup says on stderr that it made it, where, and that a
// relative data_dir is read from the working directory; run again, with
// the database there, it says nothing of it.
func TestCRMSetupSaysItMadeTheDatabase(t *testing.T) {
	t.Parallel()
	_, url := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindPipedrive, Token: "fake-pipedrive-token", StrictSchema: true})
	dir := t.TempDir()
	yaml := strings.Replace(pipedriveConfig(dir, url), "data_dir: "+filepath.Join(dir, "data"), "data_dir: ./data", 1)
	config := filepath.Join(dir, "syncd.yaml")
	if err := os.WriteFile(config, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	setup := func() string {
		t.Helper()
		var stdout, stderr strings.Builder
		cmd := syncdCmd("crm", "setup", "-config", config)
		cmd.Dir, cmd.Stdout, cmd.Stderr = dir, &stdout, &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("crm setup: %v\n%s%s", err, stdout.String(), stderr.String())
		}
		return stderr.String()
	}
	db := filepath.Join(dir, "data", "syncd.db")
	mustContain(t, "the first setup's stderr", setup(), "made the database "+db,
		"data_dir ./data is relative, read from the working directory "+dir)
	if _, err := os.Stat(db); err != nil {
		t.Fatalf("setup made no database: %v", err)
	}
	if stderr := setup(); stderr != "" {
		t.Errorf("setup again, the database there: stderr %q", stderr)
	}
}
