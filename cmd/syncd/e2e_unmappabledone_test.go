package main_test

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestStatusNamesUnmappableLeadsUntilDealtWith: syncd status named only the
// unmappable leads received since the start of yesterday, so one
// unmappable on a Friday had vanished from it by Monday, unseen; and one
// the operator entered in the CRM by hand kept status at exit 5 until the
// day after, nothing recording it. Status names every unmappable lead
// that waits, whatever its age, with syncd events done, which records one
// dealt with by its id, or every one with -all (named first with
// -dry-run); status is then 0 again.
func TestStatusNamesUnmappableLeadsUntilDealtWith(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	dir := t.TempDir()
	config := filepath.Join(dir, "syncd.yaml")
	yaml := strings.Replace(configYAML(dir, []string{e2eLBToken}, ""), "listen: 127.0.0.1:0", "listen: "+freeAddr(t), 1)
	if err := os.WriteFile(config, []byte(yaml), 0o600); err != nil { // status finds the daemon there
		t.Fatal(err)
	}
	d := start(t, config)
	defer d.stop(t, syscall.SIGTERM)
	var ids []string
	for _, key := range []string{"friday", "monday"} {
		a, err := post(d.url+"/hooks/eaf/"+e2eEAFToken, fmt.Appendf(nil, `{"eaf_type":"email_lead","eaf_id":%q,"contact_email":"not an address"}`, key))
		if err != nil || a.Code != 200 {
			t.Fatalf("post the unmappable lead: %+v, %v", a, err)
		}
		ids = append(ids, a.ID)
	}
	waitFor(t, "both leads unmappable", func() bool {
		n := 0
		for _, ev := range syncdJSON(t, "events", "list", "-json", "-config", config) {
			if ev["map_state"] == "unmappable" {
				n++
			}
		}
		return n == 2
	})
	friday := time.Now().AddDate(0, 0, -4).UTC()
	receivedAt(t, filepath.Join(dir, "data", "syncd.db"), ids[0], friday)

	out, _, code := syncdRun(t, "status", "-config", config)
	if code != 5 {
		t.Errorf("status with two leads unmappable, one received four days ago: exit %d, want 5\n%s", code, out)
	}
	if help := syncdOK(t, "status", "-h"); !strings.Contains(help, "unmappable leads\n     waiting for a person (not dealt with: syncd events done)") {
		t.Errorf("status -h does not give unmappable leads waiting, whatever their age, among its exit 5's causes:\n%s", help)
	}
	cph, err := time.LoadLocation("Europe/Copenhagen") // status says days in the report's zone, the default's
	if err != nil {
		t.Fatal(err)
	}
	mustContain(t, "status", out, "2 leads UNMAPPABLE", fmt.Sprintf("(events %s, %s)", ids[1], ids[0]),
		"syncd events done ID", "syncd replay -since "+friday.In(cph).Format("2006-01-02"))

	out, errOut, code := syncdRun(t, "events", "done", "-config", config, ids[0])
	if code != 0 {
		t.Fatalf("events done %s: exit %d\n%s%s", ids[0], code, out, errOut)
	}
	mustContain(t, "events done", out, "event "+ids[0]+" recorded as dealt with", "no longer waits for a person", "syncd replay leaves it")
	out, _, _ = syncdRun(t, "events", "done", "-config", config, ids[0])
	mustContain(t, "events done again", out, "event "+ids[0]+" was recorded as dealt with already at ")
	out, _, code = syncdRun(t, "status", "-config", config)
	if code != 5 || strings.Contains(out, "(events") {
		t.Errorf("status with one lead dealt with: exit %d, want 5 for the other alone\n%s", code, out)
	}
	mustContain(t, "status", out, "1 lead UNMAPPABLE", "(event "+ids[1]+")")
	out, _, _ = syncdRun(t, "events", "show", "-config", config, ids[0])
	mustContain(t, "events show", out, `"dealt_at": "`)
	out, _, _ = syncdRun(t, "events", "list", "-config", config)
	mustContain(t, "events list", out, "unmappable (dealt with ")

	out, _, _ = syncdRun(t, "events", "done", "-config", config, "-all", "-dry-run")
	mustContain(t, "events done -all -dry-run", out, "would record as dealt with 1 unmappable lead", "(id "+ids[1]+")")
	out, _, code = syncdRun(t, "events", "done", "-config", config, "-all")
	if code != 0 {
		t.Fatalf("events done -all: exit %d\n%s", code, out)
	}
	mustContain(t, "events done -all", out, "recorded as dealt with 1 unmappable lead", "(id "+ids[1]+")")
	if out, _, code := syncdRun(t, "status", "-config", config); code != 0 || strings.Contains(out, "UNMAPPABLE") {
		t.Errorf("status with every unmappable lead dealt with: exit %d, want 0\n%s", code, out)
	}
}

// receivedAt sets when event id was received, as if it came then.
func receivedAt(t *testing.T, path, id string, at time.Time) {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ts := at.Format(syncd.TimeFormat)
	if _, err := db.Exec(`UPDATE events SET received_at = ?1, last_delivery_at = ?1 WHERE id = ?2`, ts, id); err != nil {
		t.Fatal(err)
	}
}

// TestPrometheusAndSystemdSeeUnmappableLeadsWait: syncd status said that
// an unmappable lead waits for a person (exit 5), but /metrics had no
// series of it and the systemd status line said "serving on ADDR". The
// gauge syncd_unmappable_waiting_leads counts them, counted when one is
// found unmappable, and the status line says so, until it is recorded
// dealt with (by another process: the daemon counts again by itself).
func TestPrometheusAndSystemdSeeUnmappableLeadsWait(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace) // waits a 15 s count; TestPrometheusAndSystemdSeeQuarantinedBodiesWait runs the same watcher
	n, sock := listenNotify(t)
	config := writeConfig(t, t.TempDir())
	d := start(t, config, "NOTIFY_SOCKET="+sock)
	defer d.stop(t, syscall.SIGTERM)
	serving := "STATUS=serving on " + strings.TrimPrefix(d.url, "http://")
	n.await(t, serving)
	mustContain(t, "/metrics before any delivery", metricsText(t, d.url), "\nsyncd_unmappable_waiting_leads 0\n")

	a, err := post(d.url+"/hooks/eaf/"+e2eEAFToken, []byte(`{"eaf_type":"email_lead","eaf_id":"u1","contact_email":"not an address"}`))
	if err != nil || a.Code != 200 {
		t.Fatalf("post the unmappable lead: %+v, %v", a, err)
	}
	n.awaitMatch(t, "the lead waiting on the status line", func(m string) bool {
		return strings.HasPrefix(m, "STATUS=ATTENTION: 1 unmappable lead WAITS for a person: syncd status -config "+sq(config)+" (serving on ")
	}, time.Minute)
	mustContain(t, "/metrics", metricsText(t, d.url), "\nsyncd_unmappable_waiting_leads 1\n")

	if out, errOut, code := syncdRun(t, "events", "done", "-config", config, a.ID); code != 0 {
		t.Fatalf("events done %s: exit %d\n%s%s", a.ID, code, out, errOut)
	}
	n.awaitMatch(t, serving+" once dealt with", func(m string) bool { return m == serving }, time.Minute)
	mustContain(t, "/metrics once dealt with", metricsText(t, d.url), "\nsyncd_unmappable_waiting_leads 0\n")
}
