package main_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestStatusExitTellsAMonitorWhatNeedsAttention: `syncd status` exits 0
// while all is well and 5 while something needs attention, so that a
// monitoring script can run it: here the database file renamed under the
// daemon (every delivery answered 503), and the daemon stopped. Before,
// status exited 0 in both, and with the database lost it said "running"
// and nothing else.
func TestStatusExitTellsAMonitorWhatNeedsAttention(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	dir := t.TempDir()
	config := filepath.Join(dir, "syncd.yaml")
	addr := freeAddr(t)
	yaml := strings.Replace(configYAML(dir, []string{e2eLBToken}, ""), "listen: 127.0.0.1:0", "listen: "+addr, 1)
	if err := os.WriteFile(config, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	d := start(t, config)
	out, _, code := syncdRun(t, "status", "-config", config)
	if code != 0 || !strings.Contains(out, "running since") {
		t.Fatalf("status of a healthy daemon: exit %d\n%s", code, out)
	}

	db := filepath.Join(dir, "data", "syncd.db")
	if err := os.Rename(db, db+".moved"); err != nil {
		t.Fatal(err)
	}
	body, _ := os.ReadFile("../../testdata/webhooks/eaf/email_lead.json")
	if a, err := post(d.url+"/hooks/eaf/"+e2eEAFToken, body); err != nil || a.Code != 503 {
		t.Fatalf("delivery with the database lost: %+v %v", a, err)
	}
	out, _, code = syncdRun(t, "status", "-config", config)
	if code != 5 || !strings.Contains(out, "database      LOST: its file was removed or renamed") {
		t.Fatalf("status with the database lost: exit %d, want 5 and the loss named\n%s", code, out)
	}

	d.stop(t, syscall.SIGTERM)
	if err := os.Rename(db+".moved", db); err != nil {
		t.Fatal(err)
	}
	out, _, code = syncdRun(t, "status", "-config", config)
	if code != 5 || !strings.Contains(out, "no syncd answers at "+addr) {
		t.Fatalf("status with the daemon stopped: exit %d, want 5\n%s", code, out)
	}
}

// TestRestartKeepsTheLastSync: a daemon restarted while its adapter is
// paused shows when it last synced, in status and in
// syncd_last_sync_success_timestamp_seconds. Before, the gauge was absent
// until the next good run: status said "never", and an alert on the
// sync's age (time() - the gauge) had no series and went quiet just when
// the sync was stuck. The pause must outlast the restart, so the CRM
// rejects the token the daemon restarts with: a passing check at start
// would lift it, and the run that follows would move the gauge.
func TestRestartKeepsTheLastSync(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	dir := t.TempDir()
	_, url := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "the-right-token"})
	config := writeCRMConfig(t, dir, url)
	setCRMToken(t, config, dir, url, "the-right-token")
	d := start(t, config)
	waitFor(t, "a first sync run", func() bool {
		out, _, _ := syncdRun(t, "status", "-config", config)
		return strings.Contains(out, "last sync     hubspot: 2")
	})
	d.stop(t, syscall.SIGTERM)

	db, err := sqlite.Open(context.Background(), filepath.Join(dir, "data", "syncd.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	last, err := db.LastSync(context.Background(), "hubspot")
	if err != nil || last.IsZero() {
		t.Fatalf("last sync recorded: %v %v", last, err)
	}
	err = db.SetAdapterPause(context.Background(), "hubspot", syncd.Pause{Until: time.Now().Add(time.Hour), Kind: syncd.PauseToken,
		Reason: "authentication rejected: crm 401"})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}

	setCRMToken(t, config, dir, url, "a-revoked-token")
	d = start(t, config)
	defer d.stop(t, syscall.SIGTERM)
	waitFor(t, "the check at start to fail", func() bool { return strings.Contains(d.log(), "crm check failed") })
	resp, err := http.Get(d.url + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	metrics, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	want := fmt.Sprintf(`syncd_last_sync_success_timestamp_seconds{adapter="hubspot"} %g`, float64(last.UnixNano())/1e9)
	if !strings.Contains(string(metrics), want) {
		t.Errorf("after a restart while paused, want %s in:\n%s\n%s", want, grepLines(string(metrics), "last_sync"), d.log())
	}
	out, _, _ := syncdRun(t, "status", "-config", config)
	if !strings.Contains(out, "last sync     hubspot: "+last.In(mustZone(t, "Europe/Copenhagen")).Format("2006-01-02 15:04:05")) {
		t.Errorf("status after a restart while paused, want the last sync at %s:\n%s", last, out)
	}
}

// grepLines returns the lines of s that contain sub.
func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// TestAlertCountersExistFromTheStart: the counters an alert watches are
// exported at 0 from the start, for every source and quarantine or
// rejection reason, and events mapping could not map are counted. Before, a counter appeared only
// with its first event, at 1, which Prometheus's increase() does not see: the
// first quarantined body after a start raised no alert, a source that sent
// nothing had no series for "no leads today" to fire on, unmappable events
// had no metric at all, and the first delivery a full disk or a lost database
// refused (503, store_unavailable) after a restart raised no alert.
func TestAlertCountersExistFromTheStart(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	d := start(t, writeConfig(t, dir))
	defer d.stop(t, syscall.SIGTERM)
	scrape := func() string {
		resp, err := http.Get(d.url + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	got := scrape()
	for _, want := range []string{
		`syncd_events_accepted_total{source="eaf"} 0`, `syncd_events_accepted_total{source="lokalebasen"} 0`,
		`syncd_events_received_total{source="eaf"} 0`, `syncd_events_unrecognised_total{source="lokalebasen"} 0`,
		`syncd_events_quarantined_total{reason="invalid_json",source="eaf"} 0`,
		`syncd_events_quarantined_total{reason="not_utf8",source="lokalebasen"} 0`,
		`syncd_events_mapped_total{state="unmappable"} 0`,
		`syncd_events_rejected_total{reason="store_unavailable",source="eaf"} 0`,
		`syncd_events_rejected_total{reason="deadline",source="lokalebasen"} 0`,
		`syncd_events_rejected_total{reason="bad_token",source="eaf"} 0`,
		`syncd_events_rejected_total{reason="unknown_source",source="unknown"} 0`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("no %s at start in:\n%s", want, grepLines(got, "syncd_events_"))
		}
	}
	lead := `{"eaf_type": "email_lead", "eaf_id": "123", "contact_name": "X", "contact_email": "", "contact_phone": "",
 "contact_message_flat": "hi", "eaf_date": "2021-09-06T06:28:06+01:00"}`
	if a, err := post(d.url+"/hooks/eaf/"+e2eEAFToken, []byte(lead)); err != nil || a.Code != 200 {
		t.Fatalf("post: %+v %v", a, err)
	}
	waitFor(t, "the unmappable lead counted", func() bool {
		return strings.Contains(scrape(), `syncd_events_mapped_total{state="unmappable"} 1`)
	})
}
