package sqlite

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestDaemonLockAdmitsOneDaemon opens one database as two daemons would,
// and as a command beside the daemon does.
func TestDaemonLockAdmitsOneDaemon(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "syncd.db")
	first, err := Open(ctx, path, Options{Daemon: true})
	if err != nil {
		t.Fatal(err)
	}
	_, err = Open(ctx, path, Options{Daemon: true})
	if err == nil {
		t.Fatal("a second daemon opened the database")
	}
	if syncd.ErrorCode(err) != syncd.EUnavailable || !strings.Contains(err.Error(), "another syncd daemon (pid "+strconv.Itoa(os.Getpid())+")") {
		t.Fatalf("second daemon: %v (code %q), want the holder named", err, syncd.ErrorCode(err))
	}
	cmd, err := Open(ctx, path, Options{}) // erase, backup, sync: beside the daemon
	if err != nil {
		t.Fatalf("a command beside the daemon: %v", err)
	}
	cmd.Close()
	if fi, err := os.Stat(daemonLockPath(path)); err != nil || fi.Mode().Perm() != FileMode {
		t.Fatalf("lock file: %v %v", fi, err)
	}
	first.Close()
	next, err := Open(ctx, path, Options{Daemon: true})
	if err != nil {
		t.Fatalf("the next daemon, after the first closed: %v", err)
	}
	next.Close()
}
