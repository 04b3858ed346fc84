package report_test

import (
	"context"
	"crypto/tls"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/mail"
	"github.com/syncd-dev/syncd/internal/mail/mailtest"
	"github.com/syncd-dev/syncd/internal/report"
	"github.com/syncd-dev/syncd/internal/sqlite"
)

// TestRecipientRefusedForNowIsMailedAfterARestart: the daemon stops
// (systemctl restart) while a recipient the server refused only for now
// (450, greylisting) waits for its next try. Who waited lived in memory
// alone: after the restart nobody mailed that recipient, and the record
// said "for now, trying again" for ever. The restarted scheduler (a new
// one, on the database opened again) mails that recipient alone, the
// others not again, and the record then names only the one refused for
// good.
func TestRecipientRefusedForNowIsMailedAfterARestart(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	loc := copenhagen(t)
	path, dir := filepath.Join(t.TempDir(), "syncd.db"), t.TempDir()
	srv := mailtest.Start(t, "syncd", "pw")
	srv.Greylist(2) // refused at the first attempt (its two RCPTs), taken at the next
	m, err := mail.New(mail.Options{Host: srv.Host, Port: srv.Port, Username: "syncd", Password: "pw", Auth: "PLAIN",
		TLSConfig: &tls.Config{RootCAs: srv.RootCAs, MinVersion: tls.VersionTLS12}, From: "syncd@example.com",
		To: []string{"boss@example.com", "gone@refused.example", "d@greylist.example"}, Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 4, 4, 6, 0, 30, 0, loc) // the run for 3 April is due
	open := func() *sqlite.DB {
		db, err := sqlite.Open(ctx, path, sqlite.Options{})
		if err != nil {
			t.Fatal(err)
		}
		return db
	}
	scheduler := func(db *sqlite.DB, backoff time.Duration) *report.Scheduler {
		s, err := report.NewScheduler("0 6 * * *", 7, report.Options{Store: db, Dir: dir, Location: loc,
			Now: func() time.Time { return now }, Mailer: m, MailAttempts: 5, MailBackoff: backoff})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	recorded := func(db *sqlite.DB) (int, string) {
		recs, err := db.Reports(ctx, "2026-04-03")
		if err != nil || len(recs) != 1 {
			return -1, ""
		}
		return report.Refused(recs[0])
	}
	delivered := func() string {
		var got []string
		for _, msg := range srv.Messages() {
			got = append(got, msg.To...)
		}
		return strings.Join(got, ",")
	}

	// First run: the greylisted one waits an hour for its next try; the
	// daemon is stopped meanwhile.
	db := open()
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- scheduler(db, time.Hour).Run(runCtx) }()
	waitUntil(t, "the greylisted recipient waiting", func() bool {
		_, who := recorded(db)
		return strings.Contains(who, "d@greylist.example (450 4.7.1 greylisted, try again later) for now, trying again")
	})
	stop()
	<-done
	db.Close()
	if got := delivered(); got != "boss@example.com" {
		t.Fatalf("before the restart delivered to %q, want boss@example.com", got)
	}

	// Restarted: the one waiting is mailed, alone.
	db = open()
	defer db.Close()
	if err := scheduler(db, time.Millisecond).CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	if got := delivered(); got != "boss@example.com,d@greylist.example" {
		t.Fatalf("delivered to %q, want boss@example.com,d@greylist.example: each once", got)
	}
	if n, who := recorded(db); n != 1 || who != "gone@refused.example (550 5.1.1 no such user)" {
		t.Fatalf("Refused = %d, %q; want only gone@refused.example", n, who)
	}
}

// waitUntil waits, generously, for cond.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); !cond(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not after 30 s", what)
		}
	}
}
