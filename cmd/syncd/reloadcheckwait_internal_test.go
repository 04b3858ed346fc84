package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// TestReloadWaitsForTheAccountCheckOnlySoLong: a check that does not end
// (a CRM that does not answer) is said to be running still once the wait
// is over, and where to read its outcome, exit 0 (the files were taken):
// waiting the whole -wait held systemctl reload to its timeout.
func TestReloadWaitsForTheAccountCheckOnlySoLong(t *testing.T) {
	t.Parallel()
	page := func(running, ended int) string {
		return fmt.Sprintf("syncd_build_info{goversion=\"go1.26\",revision=\"\",version=\"1.0.0\"} 1\n"+
			"syncd_daemon_info{database=\"/var/lib/syncd/syncd.db\",pid=\"4242\"} 1.7e9\n"+
			"syncd_crm_check_running{adapter=\"hubspot\"} %d\nsyncd_crm_reload_checks_total{adapter=\"hubspot\"} %d\n", running, ended)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, page(1, 0)) }))
	defer srv.Close()
	ctx := context.Background()
	after, err := scrape(ctx, srv.URL) // the daemon took the files, its check running
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	c := &cli{stdout: &out}
	start := time.Now()
	c.reloadChecked(ctx, srv.URL, "/etc/syncd/syncd.yaml", Snapshot{}, after, start.Add(300*time.Millisecond))
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("reload waited %s for a check that does not end, past its deadline of 300ms", took)
	}
	want := "the CRM account check it started has not ended yet: syncd status -config /etc/syncd/syncd.yaml says how it went\n"
	if out.String() != want {
		t.Errorf("reload said %q, want %q", out.String(), want)
	}
}

// TestReloadSaysACheckThatEndedWhileItWasScraped: one scrape reads the
// checks running and those ended one after the other, so a check that
// ended between the two reads is in neither (running 0, ended as before).
// reload then said "reloaded" and nothing of the check, exit 0: seen as
// TestReloadSaysHowTheAccountCheckWent and
// TestReloadOfANewTokenSaysThePauseIsLifted failing under load. It reads
// once more, and a scrape begun after that one sees the check ended.
func TestReloadSaysACheckThatEndedWhileItWasScraped(t *testing.T) {
	t.Parallel()
	const page = "syncd_build_info{goversion=\"go1.26\",revision=\"\",version=\"1.0.0\"} 1\n" +
		"syncd_daemon_info{database=\"/var/lib/syncd/syncd.db\",pid=\"4242\"} 1.7e9\n" +
		"syncd_crm_check_running{adapter=\"hubspot\"} 0\nsyncd_crm_reload_checks_total{adapter=\"hubspot\"} %d\n" +
		"syncd_crm_check_problems{adapter=\"hubspot\"} 0\n"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintf(w, page, 1) }))
	defer srv.Close()
	ctx := context.Background()
	torn, err := parseSnapshot(bytes.NewBufferString(fmt.Sprintf(page, 0)), time.Now()) // the check in neither
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	c := &cli{stdout: &out}
	c.reloadChecked(ctx, srv.URL, "/etc/syncd/syncd.yaml", torn, torn, time.Now().Add(5*time.Second))
	if want := "the CRM account check (hubspot) passed\n"; out.String() != want {
		t.Errorf("reload said %q, want %q", out.String(), want)
	}
}
