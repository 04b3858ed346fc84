package config_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/config"
)

// TestWhatTheUpgradeLeftBesideTheConfigurationIsSaid: the Debian package's
// /etc/syncd/syncd.yaml is a conffile, and every operator edits it. An
// upgrade whose example configuration changed keeps theirs and puts the
// package's beside it as syncd.yaml.dpkg-dist (as it did for an edited
// mapping file, tried with dpkg -i in a throwaway root); told to take the
// package's, dpkg keeps theirs as syncd.yaml.dpkg-old. Nothing said so:
// Load gave no warning. Each is now a warning naming the diff to run.
func TestWhatTheUpgradeLeftBesideTheConfigurationIsSaid(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "maps"), 0o755)
	file := filepath.Join(dir, "syncd.yaml")
	yaml := "sources:\n  eaf:\n    kind: eaf\n    tokens: [\"${EAF_TOKEN}\"]\nmapping:\n  dir: " + filepath.Join(dir, "maps") + "\ncrm:\n  kind: dryrun\n"
	os.WriteFile(file, []byte(yaml), 0o600)
	os.WriteFile(file+".dpkg-dist", []byte("listen: 127.0.0.1:8080\n"), 0o640)
	os.WriteFile(file+".dpkg-old", []byte("listen: 127.0.0.1:8080\n"), 0o640)
	cfg, err := config.Load(file, env(map[string]string{"EAF_TOKEN": "env-token-0123456789"}))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, w := range cfg.Warnings {
		got = append(got, w.String())
	}
	want := []string{
		file + ": the package's new syncd.yaml is beside it, put there by an upgrade because you had edited yours: see what it changes with diff -u " +
			file + " " + file + ".dpkg-dist, take what you want of it into syncd.yaml, then remove " + file + ".dpkg-dist",
		file + ": your edited syncd.yaml is beside it, kept when an upgrade put the package's new one in its place: see what you had changed with diff -u " +
			file + " " + file + ".dpkg-old, take it into syncd.yaml again if you still want it, then remove " + file + ".dpkg-old",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("warnings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
