package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestStatusOfADaemonListeningWhereSYNCDLISTENSays: a daemon given
// SYNCD_LISTEN in its environment (the unit's Environment=) listens
// there, not at the file's listen. Status, run from a shell without it,
// found it by its record and said "a restart (systemctl restart syncd)
// moves it to the file's", which a restart, with the same environment,
// does not. It says where the address comes from and how to have the
// file say it.
func TestStatusOfADaemonListeningWhereSYNCDLISTENSays(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	config := filepath.Join(dir, "syncd.yaml")
	fileAddr, envAddr := freeAddr(t), freeAddr(t)
	yaml := strings.Replace(configYAML(dir, []string{e2eLBToken}, ""), "listen: 127.0.0.1:0", "listen: "+fileAddr, 1)
	if err := os.WriteFile(config, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	d := start(t, config, "SYNCD_LISTEN="+envAddr)
	defer d.stop(t, syscall.SIGTERM)

	out, stderr, _ := syncdRun(t, "status", "-config", config)
	if !strings.Contains(out, "daemon        found at "+envAddr+" (none answers at "+fileAddr+", the file's listen: it listens "+
		"where SYNCD_LISTEN in its environment says") || !strings.Contains(out, "a restart listens there again") ||
		!strings.Contains(out, "write listen: "+envAddr+" and drop SYNCD_LISTEN") || strings.Contains(out, "moves it to the file's") {
		t.Fatalf("status of a daemon listening at SYNCD_LISTEN's address:\n%s%s", out, stderr)
	}
}
