package main_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
)

// TestStatusOnOneInstanceSeesAnotherRejectReload: two instances on one
// PostgreSQL database; the operator's reload of the second host found its
// configuration broken, and that instance went on with the previous one
// (its new token refused, say). `syncd status` on the first host said
// nothing of it and exited 0: only the instance that rejected a reload
// knew, in its own /metrics. Each instance records a rejected reload with
// its heartbeat, and status on any host names the instance, exit 5, until
// a reload of it succeeds.
func TestStatusOnOneInstanceSeesAnotherRejectReload(t *testing.T) {
	t.Parallel()
	notInShort(t, longOnPostgres)
	dsn := pgtest.DSN(t)
	write := func(dir, listen string) string {
		file := filepath.Join(dir, "syncd.yaml")
		cfg := strings.Replace(configYAML(dir, []string{e2eLBToken}, pgStore(t, dir, dsn)), "listen: 127.0.0.1:0", "listen: "+listen, 1)
		if err := os.WriteFile(file, []byte(cfg), 0o600); err != nil {
			t.Fatal(err)
		}
		return file
	}
	first := write(t.TempDir(), freeAddr(t))
	secondDir := t.TempDir()
	second := write(secondDir, "127.0.0.1:0")
	a, b := start(t, first), start(t, second)
	defer a.stop(t, syscall.SIGTERM)
	defer b.stop(t, syscall.SIGTERM)
	good, _ := os.ReadFile(second)

	os.WriteFile(second, []byte("sources: [this is not: valid\n"), 0o600)
	b.cmd.Process.Signal(syscall.SIGHUP)
	waitFor(t, "the second instance to reject the reload", func() bool { return strings.Contains(b.log(), "reload rejected") })
	pid := fmt.Sprintf("pid %d", b.cmd.Process.Pid)
	var out, stderr string
	var code int
	defer func() {
		if t.Failed() {
			t.Logf("status on the first instance: exit %d\n%s%s", code, out, stderr)
		}
	}()
	waitFor(t, "status on the first instance to name the second's rejected reload", func() bool {
		out, stderr, code = syncdRun(t, "status", "-config", first)
		return code == 5 && strings.Contains(out, "LAST RELOAD FAILED") && strings.Contains(out, pid)
	})

	os.WriteFile(second, good, 0o600)
	b.cmd.Process.Signal(syscall.SIGHUP)
	waitFor(t, "the second instance to reload", func() bool { return strings.Contains(b.log(), `"reloaded"`) })
	waitFor(t, "status to see the reload succeed", func() bool {
		out, stderr, code = syncdRun(t, "status", "-config", first)
		return code == 0 && !strings.Contains(out, "RELOAD FAILED")
	})
}
