package main_test

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestEveryInstanceRewritesItsCopyOfAnErasedDay: two hosts share one
// PostgreSQL database, each with its own report.dir, and both made the
// day's workbook (the report leader died with the mail pending and the
// next made it again; or an operator ran syncd report there). syncd erase
// on one host rewrote its own copy and said nothing of the other's, which
// listed the person for as long as report.keep_days kept it, out of
// export's and erase's sight. Each instance now makes its copy again,
// without the person, once an erase elsewhere removed leads of its day
// (at its start, and hourly).
func TestEveryInstanceRewritesItsCopyOfAnErasedDay(t *testing.T) {
	t.Parallel()
	cfgs := pgHosts(t, "report:\n  time_zone: UTC\n", "a", "b")
	ds := []*daemon{start(t, cfgs[0]), start(t, cfgs[1])}
	for i, p := range []e2ePerson{e2eJane, e2eBob} {
		dl := p.deliveries(t)[1] // a Lokalebasen lead each, one to each host
		if a, err := post(ds[i].url+"/hooks/lokalebasen/"+e2eLBToken, []byte(dl[1])); err != nil || a.Status != "accepted" {
			t.Fatalf("post: %+v %v", a, err)
		}
	}
	waitMapped(t, cfgs[0])
	for _, d := range ds {
		if err := d.stop(t, syscall.SIGTERM); err != nil {
			t.Fatal(err)
		}
	}
	at, err := time.Parse(time.RFC3339Nano, syncdJSON(t, "events", "list", "-json", "-config", cfgs[0])[0]["received_at"].(string))
	if err != nil {
		t.Fatal(err)
	}
	day := at.UTC().Format(time.DateOnly)
	var books []string
	for _, cfg := range cfgs {
		books = append(books, strings.TrimSpace(syncdOK(t, "report", "-date", day, "-config", cfg)))
	}
	jane := strings.ToLower(e2eJane.email)
	if text := workbookText(t, books[0]); !strings.Contains(text, jane) {
		t.Fatalf("host a's workbook does not list Jane before the erase:\n%s", text)
	}

	out := syncdOK(t, "erase", "-config", cfgs[1], "-email", e2eJane.email)
	if !strings.HasPrefix(out, "erased: 1 events") || !strings.Contains(out, "report rewritten: "+books[1]) {
		t.Fatalf("erase on host b:\n%s", out)
	}
	if !strings.Contains(out, "the other instances make their own copies of these days' workbooks again") {
		t.Errorf("erase on host b does not say what becomes of the other hosts' copies:\n%s", out)
	}
	d := start(t, cfgs[0])
	waitFor(t, "host a's copy made again without Jane", func() bool {
		text := workbookText(t, books[0])
		return !strings.Contains(strings.ToLower(text), jane) && strings.Contains(text, "1 more lead was received on this day and erased since")
	})
	if text := workbookText(t, books[0]); !strings.Contains(text, e2eBob.email) {
		t.Errorf("host a's copy made again lost Bob's lead:\n%s", text)
	}
	if hits := e2eHits(t, filepath.Dir(books[0]), e2eJane.needles()); len(hits) > 0 {
		t.Errorf("host a's reports directory: %v", hits)
	}
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if logs := d.log(); !strings.Contains(logs, "report made again: leads erased since it was made") {
		t.Errorf("host a's daemon did not log the copy it made again:\n%s", logs)
	}
}
