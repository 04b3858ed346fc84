package main_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/sqlite"
)

// makeDB creates the database of a configuration configYAML wrote in dir,
// as the daemon's first start does, for commands run before any daemon.
func makeDB(t *testing.T, dir string) {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(dir, "data", "syncd.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
}

// TestCommandsRefuseAMissingDatabase: a command run where the
// configuration's data_dir holds no database (a relative data_dir read
// from another working directory, a SYNCD_DATA_DIR the shell lacks) says
// so, naming the path it looked at, and creates nothing: it used to create
// an empty database there and answer from it, e.g. an empty events list
// or export, with exit 0.
func TestCommandsRefuseAMissingDatabase(t *testing.T) {
	dir := t.TempDir()
	cfg := strings.Replace(configYAML(dir, []string{e2eLBToken}, ""), "data_dir: "+filepath.Join(dir, "data"), "data_dir: ./data", 1)
	cfg = strings.Replace(cfg, "listen: 127.0.0.1:0", "listen: "+freeAddr(t), 1)
	file := filepath.Join(dir, "syncd.yaml")
	if err := os.WriteFile(file, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	elsewhere := t.TempDir() // the operator's shell is not in the daemon's directory
	for _, args := range [][]string{
		{"events", "list"}, {"outbox", "list"}, {"status"}, {"replay", "-dry-run"},
		{"export", "-email", "someone@example.com"}, {"purge"},
	} {
		cmd := exec.Command(syncdBin, append(args, "-config", file)...)
		cmd.Dir = elsewhere
		out, err := cmd.CombinedOutput()
		want := "no database at " + filepath.Join(elsewhere, "data", "syncd.db")
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 || !strings.Contains(string(out), want) {
			t.Errorf("syncd %v: %v, want exit 1 saying %q:\n%s", args, err, want, out)
		}
	}
	if entries, _ := os.ReadDir(elsewhere); len(entries) > 0 {
		t.Errorf("commands created %s in the working directory", entries[0].Name())
	}
}
