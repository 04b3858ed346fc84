package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestStatusKnowsItsDaemonThroughASymlink: data moved to another disk and
// reached through a symbolic link (the daemon started with the link's
// path, or with the new one, the commands with the other) is one
// database. syncd status compared the two paths as strings: "the syncd at
// ADDR serves …, not this configuration's database", figures from the
// database and exit 5 beside a healthy daemon; validate warned that
// SYNCD_DATA_DIR overrode a data_dir naming that same directory.
func TestStatusKnowsItsDaemonThroughASymlink(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	dir := t.TempDir()
	link := filepath.Join(dir, "link")
	if err := os.Symlink(filepath.Join(dir, "data"), link); err != nil {
		t.Fatal(err)
	}
	yaml := strings.Replace(configYAML(dir, []string{e2eLBToken}, ""), "listen: 127.0.0.1:0", "listen: "+freeAddr(t), 1)
	config := filepath.Join(dir, "syncd.yaml")
	os.WriteFile(config, []byte(yaml), 0o600)
	// Beside the first, the second file would be another agency's to
	// validate, which warns of what the two share (otheragencies.go).
	if err := os.Mkdir(filepath.Join(dir, "linked"), 0o700); err != nil {
		t.Fatal(err)
	}
	linked := filepath.Join(dir, "linked", "linked.yaml")
	os.WriteFile(linked, []byte(strings.Replace(yaml, "data_dir: "+filepath.Join(dir, "data"), "data_dir: "+link, 1)), 0o600)

	d := start(t, config)
	out, stderr, code := syncdRun(t, "status", "-config", linked)
	if code != 0 || !strings.Contains(out, "running since") || strings.Contains(out, "not this configuration's database") {
		t.Fatalf("status through the link beside its daemon: exit %d\n%s%s", code, out, stderr)
	}
	d.stop(t, syscall.SIGTERM)
	if _, stderr, code = syncdRunEnv(t, "SYNCD_DATA_DIR="+link, "validate", "-config", config); code != 0 || stderr != "" {
		t.Fatalf("validate, SYNCD_DATA_DIR the link to data_dir: exit %d\n%s", code, stderr)
	}
}
