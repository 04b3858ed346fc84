package report_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/mail"
	"github.com/syncd-dev/syncd/internal/mail/mailtest"
	"github.com/syncd-dev/syncd/internal/report"
	"github.com/syncd-dev/syncd/internal/sqlite"
)

// refuseSent makes the database at db refuse, as a full disk does, to
// record a report as mailed; the returned func lifts that.
func refuseSent(t *testing.T, db *sqlite.DB) func() {
	t.Helper()
	raw, err := sql.Open("sqlite3", "file:"+db.Path())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	if _, err := raw.Exec(`CREATE TRIGGER refuse_sent BEFORE UPDATE OF mail_state ON reports
		WHEN NEW.mail_state = 'sent' BEGIN SELECT RAISE(FAIL, 'database or disk is full'); END`); err != nil {
		t.Fatal(err)
	}
	return func() {
		if _, err := raw.Exec(`DROP TRIGGER refuse_sent`); err != nil {
			t.Fatal(err)
		}
	}
}

// TestMailedButNotRecordedIsNotMailedAgain: the report is mailed, and
// recording that fails (a full disk). The scheduler's retries used to mail
// it again at each one (every 10 minutes, then every 2 hours while the
// disk stayed full); now it remembers for the life of the process that it
// was mailed and only records that once it can.
func TestMailedButNotRecordedIsNotMailedAgain(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	loc := copenhagen(t)
	db := openDB(t)
	srv := mailtest.Start(t, "syncd", "pw")
	now := time.Date(2026, 3, 30, 6, 0, 30, 0, loc) // the run for 29 March is due
	s, err := report.NewScheduler("0 6 * * *", 7, report.Options{Store: db, Dir: t.TempDir(), Location: loc,
		Mailer: mailer(t, srv), Now: func() time.Time { return now }, RetryAfter: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	lift := refuseSent(t, db)
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- s.Run(runCtx) }()
	defer func() { cancel(); <-done }()
	for deadline := time.Now().Add(20 * time.Second); len(srv.Messages()) == 0; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the report was not mailed")
		}
	}
	time.Sleep(500 * time.Millisecond) // retries at 20, 40, 80, 160 ms...
	if n := len(srv.Messages()); n != 1 {
		t.Fatalf("the report was mailed %d times while recording it failed, want once", n)
	}
	lift()
	sent := func() bool {
		recs, err := db.Reports(ctx, "2026-03-29")
		return err == nil && len(recs) == 1 && recs[0].Mail == report.MailSent && recs[0].Attempts == 1
	}
	for deadline := time.Now().Add(20 * time.Second); !sent(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the mail was not recorded as sent once the database took it")
		}
	}
	if n := len(srv.Messages()); n != 1 {
		t.Fatalf("mailed %d times, want once", n)
	}
}

// TestReportByHandMailedButNotRecorded: Make mails the report and cannot
// record it: its error says the report was mailed (report.Mailed), so that
// `syncd report -mail` does not advise running it again, which would mail
// it twice.
func TestReportByHandMailedButNotRecorded(t *testing.T) {
	t.Parallel()
	db := openDB(t)
	srv := mailtest.Start(t, "syncd", "pw")
	refuseSent(t, db)
	_, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 3, Day: 29},
		report.Options{Store: db, Dir: t.TempDir(), Mailer: mailer(t, srv), MailAttempts: 1})
	if err == nil || !report.Mailed(err) || mail.Partial(err) || !strings.Contains(err.Error(), "mailed, but") ||
		len(srv.Messages()) != 1 {
		t.Fatalf("Make: %v (mailed %v), %d messages", err, report.Mailed(err), len(srv.Messages()))
	}
	if report.Mailed(nil) {
		t.Fatal("Mailed(nil)")
	}
}
