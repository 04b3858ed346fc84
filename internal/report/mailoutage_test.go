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
)

// TestSchedulerMailsOnceTheMailServerIsBack: the mail server did not take
// the 06:00 report for longer than the daemon's five attempts (1, 2, 4 and
// 8 minutes apart: a quarter of an hour; here a 451 to each, a relay
// whose queue is full, or one down for its maintenance). The report's
// mail was recorded FAILED and nothing tried it again: the managers got
// no report that day unless the operator ran `syncd report -mail`. The
// scheduler now keeps such a mail pending and tries it again at its
// retries (10 minutes on, doubling up to 2 hours), once, until it goes.
// A refusal for good still ends the attempts (TestPermanentMailRefusalIsNotRetried).
func TestSchedulerMailsOnceTheMailServerIsBack(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	loc := copenhagen(t)
	db := openDB(t)
	srv := mailtest.Start(t, "syncd", "pw")
	srv.FailNext(7) // more than a round of five attempts
	now := time.Date(2026, 3, 30, 6, 0, 30, 0, loc)
	s, err := report.NewScheduler("0 6 * * *", 7, report.Options{Store: db, Dir: filepath.Join(t.TempDir(), "reports"),
		Location: loc, Now: func() time.Time { return now }, Mailer: mailer(t, srv),
		MailBackoff: time.Millisecond, RetryAfter: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- s.Run(runCtx) }()
	defer func() { cancel(); <-done }()

	var rec report.Record
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		recs, err := db.Reports(ctx, "2026-03-29")
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) == 1 {
			rec = recs[0]
			if rec.Mail == report.MailSent {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("the report's mail was not sent once the server took mail again: %s after %d attempts (%s)",
				rec.Mail, rec.Attempts, rec.MailError)
		}
	}
	if rec.Attempts != 8 || rec.MailError != "" {
		t.Errorf("recorded %d attempts (%q), want 8 and no error", rec.Attempts, rec.MailError)
	}
	time.Sleep(200 * time.Millisecond) // a few more of the scheduler's retries
	if n := len(srv.Messages()); n != 1 {
		t.Errorf("%d messages arrived, want 1", n)
	}
	if !strings.Contains(srv.Only(t).Subject, "Mar") {
		t.Errorf("subject %q", srv.Only(t).Subject)
	}
}

// TestMailByHandLeavesAWaitingMailToTheDaemon: the report's mail waited
// for a mail server the daemon could not reach for a round of attempts,
// and the operator ran what status offers, `syncd report -date DAY -mail`,
// with the server still down: the command's failed attempt recorded the
// mail FAILED, and the daemon, which tries only pending mails, never
// mailed it. It stays pending, for the daemon, and the command says why.
func TestMailByHandLeavesAWaitingMailToTheDaemon(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := openDB(t)
	srv := mailtest.Start(t, "syncd", "pw")
	day := report.Day{Year: 2026, Month: 3, Day: 29}
	dir := t.TempDir()
	if _, err := report.Make(ctx, day, report.Options{Store: db, Dir: dir}); err != nil {
		t.Fatal(err)
	}
	const held = "the mail server did not take it in 5 attempt(s): mail 127.0.0.1:25: connection refused"
	if err := db.SetMailState(ctx, day.String(), report.MailPending, 5, held, report.MailNote{Held: true}); err != nil {
		t.Fatal(err)
	}
	srv.FailNext(1)
	byHand := report.Options{Store: db, Dir: dir, Mailer: mailer(t, srv), MailAttempts: 1}
	if err := report.Mail(ctx, day, byHand); err == nil || !strings.Contains(err.Error(), "451") {
		t.Fatalf("mail by hand to a server not taking it: %v", err)
	}
	recs, err := db.Reports(ctx, day.String())
	if err != nil || len(recs) != 1 {
		t.Fatal(recs, err)
	}
	if r := recs[0]; r.Mail != report.MailPending || r.Attempts != 6 || !strings.HasPrefix(r.MailError, "the mail server did not take it in 6 attempt(s)") {
		t.Fatalf("recorded %s after %d attempts (%q), want pending for the daemon after 6", r.Mail, r.Attempts, r.MailError)
	}
}

// TestSchedulerMailsARecipientRefusedForNowOnceItsServerTakesIt: one of two
// recipients was refused only for now (greylisting that lasts, a full
// mailbox) through the daemon's five attempts, a quarter of an hour: it
// was recorded "for now, given up after 5 attempt(s)" and never mailed,
// though its server took mail again later that morning. The scheduler now
// keeps it waiting and mails it, alone, at its retries, until its server
// takes it; the other recipient gets the report once.
func TestSchedulerMailsARecipientRefusedForNowOnceItsServerTakesIt(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	loc := copenhagen(t)
	db := openDB(t)
	srv := mailtest.Start(t, "syncd", "pw")
	srv.Greylist(7) // more than a round of five attempts
	m, err := mail.New(mail.Options{Host: srv.Host, Port: srv.Port, Username: "syncd", Password: "pw", Auth: "PLAIN",
		TLSConfig: &tls.Config{RootCAs: srv.RootCAs, MinVersion: tls.VersionTLS12},
		From:      "syncd@example.com", To: []string{"agency@example.com", "d@greylist.example"}, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 30, 6, 0, 30, 0, loc)
	s, err := report.NewScheduler("0 6 * * *", 7, report.Options{Store: db, Dir: filepath.Join(t.TempDir(), "reports"),
		Location: loc, Now: func() time.Time { return now }, Mailer: m,
		MailBackoff: time.Millisecond, RetryAfter: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- s.Run(runCtx) }()
	defer func() { cancel(); <-done }()

	var rec report.Record
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		recs, err := db.Reports(ctx, "2026-03-29")
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) == 1 {
			rec = recs[0]
			if rec.Mail == report.MailSent && rec.MailWaiting == "" && len(srv.Messages()) == 2 {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("d@greylist.example never got the report: %s after %d attempts (%q), %d messages",
				rec.Mail, rec.Attempts, rec.MailError, len(srv.Messages()))
		}
	}
	time.Sleep(200 * time.Millisecond) // a few more of the scheduler's retries
	var to []string
	for _, msg := range srv.Messages() {
		to = append(to, msg.To...)
	}
	if strings.Join(to, ",") != "agency@example.com,d@greylist.example" {
		t.Errorf("delivered to %q, want each recipient once", to)
	}
	if n, who := report.Refused(rec); n != 0 {
		t.Errorf("recorded refused for %d: %s", n, who)
	}
}
