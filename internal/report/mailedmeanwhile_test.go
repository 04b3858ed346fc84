package report_test

import (
	"context"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/mail/mailtest"
	"github.com/syncd-dev/syncd/internal/report"
)

// TestRetryStopsWhenMailedByHand: while the daemon waited to try a failed
// mail again (1, 2, 4, 8 minutes), the operator sent it by hand (`syncd
// report -date DAY -mail`, another process); the daemon's next attempt
// mailed it a second time. It now reads the report's mail state before
// each retry, and one sent meanwhile ends its attempts.
func TestRetryStopsWhenMailedByHand(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openDB(t)
	srv := mailtest.Start(t, "syncd", "pw")
	srv.FailNext(1)
	day := report.Day{Year: 2026, Month: 11, Day: 29}
	daemon := report.Options{Store: db, Dir: t.TempDir(), Mailer: mailer(t, srv), MailAttempts: 5, MailBackoff: 2 * time.Second}
	done := make(chan error, 1)
	go func() { _, err := report.Make(ctx, day, daemon); done <- err }()
	waitForMailState(t, db, day, report.MailPending) // the first attempt failed: the daemon waits

	byHand := daemon
	byHand.MailAttempts = 1
	if err := report.Mail(ctx, day, byHand); err != nil {
		t.Fatalf("mail by hand: %v", err)
	}
	if err := <-done; err != nil {
		t.Fatalf("the daemon's report: %v", err)
	}
	if n := len(srv.Messages()); n != 1 {
		t.Errorf("%d messages arrived, want 1: the retry mailed what was sent by hand", n)
	}
	recs, err := db.Reports(ctx, day.String())
	if err != nil || len(recs) != 1 || recs[0].Mail != report.MailSent {
		t.Fatalf("recorded %+v, %v", recs, err)
	}
}

// waitForMailState waits until the report of day is recorded with mail
// state st.
func waitForMailState(t *testing.T, db report.Store, day report.Day, st report.MailState) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		recs, err := db.Reports(context.Background(), day.String())
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) > 0 && recs[0].Mail == st && recs[0].Attempts > 0 {
			return
		}
	}
	t.Fatalf("the report of %s never reached mail state %s", day, st)
}
