package main_test

import (
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/logtest"
	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
)

// TestPostgresOutageUnderSystemd: PostgreSQL down or cut off for longer
// than WatchdogSec (30 s) under the shipped unit. The daemon's health
// check, a write to the database, failed, so its watchdog pings stopped
// and systemd killed every instance (SIGABRT) however well each was
// answering 503 and waiting; restarted, each exited 1 at once,
// `start: connect ...: connection refused`, every 2 s until the database
// was back. The watchdog now goes on pinging while only the database
// does not answer (/readyz fails, deliveries get 503), and a serve
// started meanwhile waits for it, saying so once, and serves once it
// answers.
func TestPostgresOutageUnderSystemd(t *testing.T) {
	t.Parallel()
	notInShort(t, longOnPostgres)
	u, err := url.Parse(pgtest.DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	link := newDBLink(t, u.Host)
	u.Host = link.addr
	config := func() string {
		dir := t.TempDir()
		cfg := strings.Replace(configYAML(dir, []string{e2eLBToken}, pgStore(t, dir, u.String())),
			"listen: 127.0.0.1:0", "listen: "+freeAddr(t), 1)
		file := filepath.Join(dir, "syncd.yaml")
		os.WriteFile(file, []byte(cfg), 0o600)
		return file
	}
	n, sock := listenNotify(t)
	d := start(t, config(), "NOTIFY_SOCKET="+sock, "WATCHDOG_USEC=4000000")
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("the first daemon's log:\n%s", d.log())
		}
	})
	n.await(t, "READY=1")
	n.await(t, "WATCHDOG=1")

	link.cut()
	waitReady(t, d.url, http.StatusServiceUnavailable)
	for drained := false; !drained; { // the pings sent before the database was cut off
		select {
		case <-n.got:
		default:
			drained = true
		}
	}
	for range 3 { // one health check begun before the cut may still ping: three cannot
		n.await(t, "WATCHDOG=1")
	}
	if strings.Contains(d.log(), "watchdog pings stopped") {
		t.Fatalf("the watchdog stopped pinging for the database's outage:\n%s", d.log())
	}

	var out logtest.Buffer
	second := syncdCmd("serve", "-config", config())
	second.Stdout, second.Stderr = &out, &out
	if err := second.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- second.Wait() }()
	t.Cleanup(func() { second.Process.Kill() })
	waitFor(t, "a serve started during the outage to wait for the database", func() bool {
		select {
		case err := <-exited:
			t.Fatalf("serve started during the outage exited (%v):\n%s", err, out.String())
		default:
		}
		return strings.Contains(out.String(), "start: waiting for the database to answer")
	})
	link.mend(t)
	waitFor(t, "the waiting serve to start once the database answers", func() bool {
		return strings.Contains(out.String(), `"message":"serving"`)
	})
	waitReady(t, d.url, http.StatusOK)
	postTestdata(t, d, "eaf/email_lead.json")
	if strings.Count(out.String(), "waiting for the database") != 1 {
		t.Fatalf("the wait was not said once:\n%s", out.String())
	}
}
