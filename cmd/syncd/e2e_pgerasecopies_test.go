package main_test

import (
	"context"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
)

// TestEveryInstanceRewritesItsCopyOfAnErasedDay: two hosts share one
// PostgreSQL database, each with its own report.dir, and both made the
// day's workbook (the report leader died with the mail pending and the
// next made it again; or an operator ran syncd report there). syncd erase
// on one host rewrote its own copy and said nothing of the other's, which
// listed the person for as long as report.keep_days kept it, out of
// export's and erase's sight. Each instance now makes its copy again,
// without the person, once an erase elsewhere removed leads of its day
// (at its start, and hourly). Export, which lists its own host's copies,
// says that the other hosts' report.dir may hold more.
func TestEveryInstanceRewritesItsCopyOfAnErasedDay(t *testing.T) {
	t.Parallel()
	notInShort(t, longOnPostgres)
	cfgs := pgHosts(t, pgtest.DSN(t), "report:\n  time_zone: UTC\n", "a", "b")
	books := leadsOnTwoHosts(t, cfgs, nil)
	// Export on host b lists its own copy only: it says where the others are.
	_, stderr, code := syncdRun(t, "export", "-config", cfgs[1], "-email", e2eJane.email)
	if code != 0 || !strings.Contains(stderr, "the workbooks in the other instances' report.dir, on their hosts (reports lists this host's, in "+
		filepath.Dir(books[1])) {
		t.Errorf("export on host b: exit %d, not said that other hosts hold workbooks:\n%s", code, stderr)
	}

	out := syncdOK(t, "erase", "-config", cfgs[1], "-email", e2eJane.email)
	if !strings.HasPrefix(out, "erased: 1 event") || !strings.Contains(out, "report rewritten: "+books[1]) {
		t.Fatalf("erase on host b:\n%s", out)
	}
	if !strings.Contains(out, "the other instances make their own copies of these days' workbooks again") {
		t.Errorf("erase on host b does not say what becomes of the other hosts' copies:\n%s", out)
	}
	madeAgainAtStart(t, cfgs[0], books[0], "1 more lead was received on this day and erased since")
	if text := workbookText(t, books[0]); !strings.Contains(text, e2eBob.email) {
		t.Errorf("host a's copy made again lost Bob's lead:\n%s", text)
	}
}

// TestEveryInstanceRewritesItsCopyOfAPurgedDay: as above, with workbooks
// kept longer than the leads (report.keep_days 90, retention.event_days
// 30): the retention purge on one host made its own copy of a day again
// without what it dropped, as the README says, and the other host's copy
// kept the leads' names, emails and phones until keep_days. Each instance
// makes its copy again, whichever purged.
func TestEveryInstanceRewritesItsCopyOfAPurgedDay(t *testing.T) {
	t.Parallel()
	notInShort(t, longOnPostgres)
	dsn := pgtest.DSN(t)
	cfgs := pgHosts(t, dsn, "report:\n  time_zone: UTC\n  keep_days: 90\nretention: {event_days: 30, outbox_days: 30}\n", "a", "b")
	books := leadsOnTwoHosts(t, cfgs, func() { // 40 days pass, the leads sent meanwhile
		ctx := context.Background()
		conn, err := pgx.Connect(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(ctx)
		for _, q := range []string{
			`UPDATE events SET received_at = received_at - interval '40 days', last_delivery_at = last_delivery_at - interval '40 days'`,
			`UPDATE outbox SET state = 'done', created_at = created_at - interval '40 days', updated_at = updated_at - interval '40 days'`,
		} {
			if _, err := conn.Exec(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
	})

	out := syncdOK(t, "purge", "-config", cfgs[1])
	if !strings.HasPrefix(out, "purged: 2 event bodies") || !strings.Contains(out, "report rewritten: "+books[1]) {
		t.Fatalf("purge on host b:\n%s", out)
	}
	madeAgainAtStart(t, cfgs[0], books[0], "")
	if text := strings.ToLower(workbookText(t, books[0])); strings.Contains(text, e2eBob.email) {
		t.Errorf("host a's copy made again still lists Bob:\n%s", text)
	}
}

// leadsOnTwoHosts runs the instances of cfgs (two), posts Jane's lead to
// the first and Bob's to the second, stops them once both are mapped,
// calls then (if not nil), and makes the leads' day's workbook on each
// host, the first listing Jane. It returns the workbooks' paths.
func leadsOnTwoHosts(t *testing.T, cfgs []string, then func()) []string {
	t.Helper()
	ds := []*daemon{start(t, cfgs[0]), start(t, cfgs[1])}
	for i, p := range []e2ePerson{e2eJane, e2eBob} {
		dl := p.deliveries(t)[1] // a Lokalebasen lead each
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
	if then != nil {
		then()
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
	if text := workbookText(t, books[0]); !strings.Contains(text, strings.ToLower(e2eJane.email)) {
		t.Fatalf("host a's workbook does not list Jane:\n%s", text)
	}
	return books
}

// madeAgainAtStart starts the instance of config and waits until it has
// logged that it made its workbook book again, then checks that the
// workbook names nothing of Jane (and says want, when not "").
func madeAgainAtStart(t *testing.T, config, book, want string) {
	t.Helper()
	d := start(t, config)
	waitMadeAgain(t, d, book)
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if text := workbookText(t, book); strings.Contains(strings.ToLower(text), strings.ToLower(e2eJane.email)) || !strings.Contains(text, want) {
		t.Errorf("the workbook made again (want %q):\n%s", want, text)
	}
	if hits := e2eHits(t, filepath.Dir(book), e2eJane.needles()); len(hits) > 0 {
		t.Errorf("the reports directory: %v", hits)
	}
}

// waitMadeAgain waits until the instance d has logged that it made its
// workbook book again.
func waitMadeAgain(t *testing.T, d *daemon, book string) {
	t.Helper()
	waitFor(t, "the workbook made again", func() bool {
		return strings.Contains(d.log(), `"path":"`+book+`","time":`) &&
			strings.Contains(d.log(), "report made again: leads erased or purged since it was made")
	})
}
