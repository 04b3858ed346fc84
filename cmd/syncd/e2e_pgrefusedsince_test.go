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

// TestStatusSaysSinceWhenPostgreSQLDoesNotAnswer: PostgreSQL stopped
// under a running daemon. syncd status said "deliveries REFUSED" with no
// time, though the daemon knows when the database stopped answering, and
// "database CANNOT BE READ from here: connect ...: dial error: dial tcp
// ...: connect: connection refused" as pgx says it. It now says since
// when deliveries are refused, and the cause first in plain words.
func TestStatusSaysSinceWhenPostgreSQLDoesNotAnswer(t *testing.T) {
	t.Parallel()
	notInShort(t, longOnPostgres)
	u, err := url.Parse(pgtest.DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	link := newDBLink(t, u.Host)
	u.Host = link.addr
	dir := t.TempDir()
	file := filepath.Join(dir, "syncd.yaml")
	cfg := strings.Replace(configYAML(dir, []string{e2eLBToken}, pgStore(t, dir, u.String())), "listen: 127.0.0.1:0", "listen: "+freeAddr(t), 1)
	if err := os.WriteFile(file, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	d := start(t, file, "SYNCD_TEST_DB_DOWN_REMIND=1h")
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("the daemon's log:\n%s", d.log())
		}
	})
	link.cut()
	waitReady(t, d.url, http.StatusServiceUnavailable)
	waitFor(t, "the outage to be logged", func() bool { return strings.Contains(d.log(), "database not answering") })
	out, stderr, code := syncdRun(t, "status", "-config", file)
	for _, want := range []string{"deliveries    REFUSED since ", ", when the database stopped answering",
		"database      CANNOT BE READ from here: connection refused: nothing listens at that address and port"} {
		if !strings.Contains(out, want) {
			t.Errorf("status while the database does not answer (exit %d) does not say %q:\n%s%s", code, want, out, stderr)
		}
	}
	if code != 5 {
		t.Errorf("status while the database does not answer: exit %d, want 5:\n%s%s", code, out, stderr)
	}
	link.mend(t)
	waitReady(t, d.url, http.StatusOK)
	waitFor(t, "status to say no refusal once the database answers again", func() bool {
		out, _, _ := syncdRun(t, "status", "-config", file)
		return !strings.Contains(out, "REFUSED") && !strings.Contains(out, "CANNOT BE READ")
	})
}
