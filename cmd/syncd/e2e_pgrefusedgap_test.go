package main_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/postgres"
	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestIntakeRefusedWhilePostgreSQLWasDownIsNotReceived: the times syncd
// did not receive (status's intake line, the report's line under the
// day's leads) were the times no daemon ran. A daemon whose PostgreSQL
// did not answer for an hour answered every delivery 503 all that hour,
// and status and the report said the day was received whole. The daemon
// now records each outage of its database as a time its intake refused
// (state row intake_refused), and status and the report name it: syncd
// did not receive then, it answered every delivery 503. Here the
// database is cut off for a few seconds, then the outage recorded is
// stretched to an hour (as intakeRunsOf moves a SQLite daemon's runs).
func TestIntakeRefusedWhilePostgreSQLWasDownIsNotReceived(t *testing.T) {
	t.Parallel()
	notInShort(t, longOnPostgres)
	dsn := pgtest.DSN(t)
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	link := newDBLink(t, u.Host)
	u.Host = link.addr
	dir := t.TempDir()
	file := filepath.Join(dir, "syncd.yaml")
	cfg := configYAML(dir, []string{e2eLBToken}, pgStore(t, dir, u.String())+"report:\n  time_zone: UTC\n")
	if err := os.WriteFile(file, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	d := start(t, file, "SYNCD_TEST_DB_DOWN_REMIND=1h")
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("the daemon's log:\n%s", d.log())
		}
	})
	body, err := os.ReadFile("../../testdata/webhooks/eaf/email_lead.json")
	if err != nil {
		t.Fatal(err)
	}
	link.cut()
	waitFor(t, "a delivery answered 503 while the database is cut off", func() bool {
		resp, err := http.Post(d.url+"/hooks/eaf/"+e2eEAFToken, "application/json", bytes.NewReader(body))
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusServiceUnavailable
	})
	waitFor(t, "the outage to be logged", func() bool { return strings.Contains(d.log(), "database not answering") })
	link.mend(t)
	waitFor(t, "the database to answer again", func() bool { return strings.Contains(d.log(), "database answers again") })
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatalf("stop: %v\n%s", err, d.log())
	}

	ctx := context.Background()
	db, err := postgres.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var runs, refused []run
	for name, into := range map[string]*[]run{"intake_runs": &runs, "intake_refused": &refused} {
		v, _, err := db.StateValue(ctx, name)
		if err != nil || json.Unmarshal([]byte(v), into) != nil {
			t.Fatalf("state row %s: %q, %v", name, v, err)
		}
	}
	if len(runs) != 1 || len(refused) != 1 || !refused[0].From.After(runs[0].From) || !refused[0].To.Before(runs[0].To) {
		t.Fatalf("the run and the outage recorded of a daemon whose database was cut off a while: runs %+v, refused %+v", runs, refused)
	}
	// An hour's outage in a run of three, which ended 10 minutes ago.
	end := time.Now().Add(-10 * time.Minute).UTC().Truncate(time.Second)
	runs = []run{{From: end.Add(-3 * time.Hour), To: end}}
	refused = []run{{From: end.Add(-2 * time.Hour), To: end.Add(-time.Hour)}}
	for name, v := range map[string][]run{"intake_runs": runs, "intake_refused": refused} {
		b, _ := json.Marshal(v)
		if err := db.SetStateValue(ctx, name, string(b)); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.SetStateValue(ctx, "installed_at", syncd.FormatTime(end.Add(-48*time.Hour))); err != nil { // a report of yesterday is made
		t.Fatal(err)
	}

	show := func(at time.Time) string { return at.UTC().Format("2006-01-02 15:04:05 -07:00") }
	out, stderr, _ := syncdRun(t, "status", "-config", file)
	want := "syncd did not receive from " + show(refused[0].From) + " to " + show(refused[0].To) +
		" (1h): it answered every delivery 503, its database not answering"
	if !strings.Contains(out, want) {
		t.Errorf("status after an hour the database did not answer:\n%s%s\nwant the line %q", out, stderr, want)
	}
	day := refused[0].From.UTC()
	clock := func(at time.Time) string {
		if at.UTC().Format(time.DateOnly) != day.Format(time.DateOnly) {
			return at.UTC().Format("Mon 2 Jan 15:04")
		}
		return at.UTC().Format("15:04")
	}
	out, stderr, code := syncdRun(t, "report", "-date", day.Format(time.DateOnly), "-config", file)
	if code != 0 {
		t.Fatalf("report: exit %d\n%s%s", code, out, stderr)
	}
	want = "syncd did not receive from " + clock(refused[0].From) + " to " + clock(refused[0].To) +
		" (1 hour: it answered every delivery 503, its database not answering)"
	if got := summaryText(t, strings.TrimSpace(out)); !strings.Contains(got, want) {
		t.Errorf("the report of a day the database did not answer for an hour:\n%s\nwant it to say %q", got, want)
	}
}
