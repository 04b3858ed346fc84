package main_test

import (
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// TestTakenPortCreatesNothingAndSaysWhatToDo: `syncd serve` on an address
// another process listens on must fail before it creates a database (a
// first start with a mistyped port left an empty database and its marker
// in data_dir), and say what to do. When the other process is a syncd
// daemon on the same database, it names that daemon, as it did when it
// listened on a port of its own.
func TestTakenPortCreatesNothingAndSaysWhatToDo(t *testing.T) {
	t.Parallel()
	other, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	dir := t.TempDir()
	cfg := writeConfig(t, dir)
	out, _, code := syncdRunEnv(t, "SYNCD_LISTEN="+other.Addr().String(), "serve", "-config", cfg)
	if code != 1 {
		t.Fatalf("serve on a taken address: exit %d, want 1\n%s", code, out)
	}
	mustContain(t, "serve's log", out, "address already in use", other.Addr().String(), "SYNCD_LISTEN")
	if entries, err := os.ReadDir(filepath.Join(dir, "data")); err == nil && len(entries) > 0 {
		t.Errorf("serve on a taken address left %d files in data_dir, e.g. %s", len(entries), entries[0].Name())
	}

	// The same database's daemon holds the address.
	first := start(t, cfg)
	addr := strings.TrimPrefix(first.url, "http://")
	out, _, code = syncdRunEnv(t, "SYNCD_LISTEN="+addr, "serve", "-config", cfg)
	if code != 2 { // as a second daemon on an address of its own
		t.Fatalf("second daemon on the first one's address: exit %d, want 2\n%s", code, out)
	}
	mustContain(t, "second daemon's log", out,
		"another syncd daemon (pid "+strconv.Itoa(first.cmd.Process.Pid)+") is serving")
	first.stop(t, syscall.SIGTERM)
}
