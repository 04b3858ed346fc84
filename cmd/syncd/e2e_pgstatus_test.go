package main_test

import (
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
)

// TestStatusWhileTheDatabaseIsUnreachable: during a PostgreSQL outage,
// the moment an operator runs syncd status, the daemon still answered but
// status printed only "syncd: connect ...: connection refused" and exited
// 4 ("try again"), though the README promises the running daemon's view
// whenever one answers, and exit 5 for a database that cannot be read.
// It prints what the daemon knows, says the database cannot be read from
// here and why, and exits 5. It said the deliveries were refused for
// the store failing "(its disk full: df -h ...)", SQLite's cause, sending
// the operator to the disk of a host whose database is elsewhere, and the
// last sync and last report "never", though on PostgreSQL those are the
// leaders' and in the database: a lost lead ends what the instance
// exported of them. It says the database takes no writes, and that the
// leaders' times are unknown from here.
func TestStatusWhileTheDatabaseIsUnreachable(t *testing.T) {
	t.Parallel()
	u, err := url.Parse(pgtest.DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	link := newDBLink(t, u.Host)
	u.Host = link.addr
	dir := t.TempDir()
	cfg := strings.Replace(configYAML(dir, []string{e2eLBToken}, pgStore(t, dir, u.String())),
		"listen: 127.0.0.1:0", "listen: "+freeAddr(t), 1)
	file := filepath.Join(dir, "syncd.yaml")
	os.WriteFile(file, []byte(cfg), 0o600)
	d := start(t, file)
	waitFor(t, "status to see the instance", func() bool {
		out, _, code := syncdRun(t, "status", "-config", file)
		return code == 0 && strings.Contains(out, "cluster: 1 instance")
	})

	link.cut()
	waitReady(t, d.url, http.StatusServiceUnavailable)
	out, errOut, code := syncdRun(t, "status", "-config", file)
	if code != 5 || !strings.Contains(out, "running since") || !strings.Contains(out, "events") ||
		!strings.Contains(out, "CANNOT BE READ") || !strings.Contains(out, "connection refused") {
		t.Fatalf("status while the database is unreachable: exit %d, want 5 with the daemon's view and why\n%s%s", code, out, errOut)
	}
	mustContain(t, "status", out, "REFUSED", "the database takes none of its writes",
		"unknown: the report leader's, in the database") // the last sync too, once the lead is lost (not yet, maybe)
	if strings.Contains(out, "disk full") || strings.Contains(out, "never") {
		t.Fatalf("status on PostgreSQL blames the disk, or says never for what is in the database:\n%s", out)
	}
}
