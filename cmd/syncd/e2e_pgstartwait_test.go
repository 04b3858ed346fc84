package main_test

import (
	"bytes"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/logtest"
	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
)

// TestStatusOfADaemonWaitingForPostgreSQL: a serve started while
// PostgreSQL does not answer waits for it, holding its port. Nothing
// answered there: `syncd status` said "no syncd answers at ... (context
// deadline exceeded)", exit 5, as if no daemon ran, and each delivery hung
// until its sender gave up. Status now says the daemon is up and waiting
// for its database, since when, which one, why in plain words and what to
// do; each delivery is answered 503 with Retry-After; and once the
// database answers, the daemon serves on the same port.
func TestStatusOfADaemonWaitingForPostgreSQL(t *testing.T) {
	t.Parallel()
	notInShort(t, longOnPostgres)
	u, err := url.Parse(pgtest.DSN(t))
	if err != nil {
		t.Fatal(err)
	}
	link := newDBLink(t, u.Host)
	link.cut()
	u.Host = link.addr
	dir := t.TempDir()
	addr := freeAddr(t)
	file := filepath.Join(dir, "syncd.yaml")
	cfg := strings.Replace(configYAML(dir, []string{e2eLBToken}, pgStore(t, dir, u.String())), "listen: 127.0.0.1:0", "listen: "+addr, 1)
	if err := os.WriteFile(file, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	var log logtest.Buffer
	serve := syncdCmd("serve", "-config", file)
	serve.Stdout, serve.Stderr = &log, &log
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		serve.Process.Kill()
		serve.Wait()
		if t.Failed() {
			t.Logf("the daemon's log:\n%s", log.String())
		}
	})
	waitFor(t, "serve to wait for the database", func() bool {
		return strings.Contains(log.String(), "start: waiting for the database to answer")
	})

	out, stderr, code := syncdRun(t, "status", "-config", file)
	for _, want := range []string{"UP, WAITING FOR ITS DATABASE since ", "postgres://" + link.addr + "/",
		"connection refused: nothing listens at that address and port", "starts on its own once it opens the database",
		"pg_isready -h 127.0.0.1 -p " + link.addr[strings.LastIndex(link.addr, ":")+1:]} {
		if !strings.Contains(out, want) {
			t.Errorf("status of the waiting daemon does not say %q (exit %d):\n%s%s", want, code, out, stderr)
		}
	}
	if code != 5 || strings.Contains(out+stderr, "no syncd answers") {
		t.Errorf("status of the waiting daemon: exit %d (want 5):\n%s%s", code, out, stderr)
	}
	// The wait is logged once, not at each try: status sent the operator
	// looking for a line at each try ("the daemon's log says each try"),
	// and quotes the lines the log holds.
	if strings.Contains(out, "each try") || !strings.Contains(out, `said so once as it began waiting ("start: waiting for the database to answer")`) {
		t.Errorf("status of the waiting daemon does not quote the one line the log holds of the wait:\n%s", out)
	}

	body, err := os.ReadFile("../../testdata/webhooks/eaf/email_lead.json")
	if err != nil {
		t.Fatal(err)
	}
	c := &http.Client{Timeout: 5 * time.Second}
	post := func() (*http.Response, error) {
		return c.Post("http://"+addr+"/hooks/eaf/"+e2eEAFToken, "application/json", bytes.NewReader(body))
	}
	resp, err := post()
	if err != nil {
		t.Fatalf("a delivery to the waiting daemon: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
		t.Errorf("a delivery to the waiting daemon: %d, Retry-After %q; want 503 with Retry-After", resp.StatusCode, resp.Header.Get("Retry-After"))
	}

	time.Sleep(6 * time.Second) // a try more (serve tries every 5 s), which logs no line of its own
	link.mend(t)
	waitFor(t, "the daemon to serve once the database answers", func() bool {
		return strings.Contains(log.String(), `"message":"serving"`)
	})
	waitReady(t, "http://"+addr, http.StatusOK)
	if n := strings.Count(log.String(), "start: waiting for the database to answer"); n != 1 || !strings.Contains(log.String(), "the database answers: starting") {
		t.Errorf("the log holds the wait %d times (want once, as status says) and the start after it: %v", n, strings.Contains(log.String(), "the database answers: starting"))
	}
	if resp, err = post(); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("a delivery once the daemon serves on the port it held: %v %v", resp, err)
	}
	resp.Body.Close()
	out, stderr, code = syncdRun(t, "status", "-config", file)
	if code != 0 || strings.Contains(out, "WAITING") {
		t.Errorf("status once the daemon serves: exit %d:\n%s%s", code, out, stderr)
	}
}
