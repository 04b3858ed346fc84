package report_test

import (
	"context"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/mail"
	"github.com/syncd-dev/syncd/internal/mail/mailtest"
	"github.com/syncd-dev/syncd/internal/report"
)

// TestMailSentAsTheDaemonStopsIsRecorded: the daemon told to stop while
// the server was taking the report's mail, which it then took, recorded
// nothing (the record was written with the stopped context, and a mail
// partly refused was left pending as "context canceled"): the next start
// mailed everyone again. It is recorded as sent, or sent with the refusal.
func TestMailSentAsTheDaemonStopsIsRecorded(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		to      []string
		refused int
	}{
		{"to all", []string{"a@example.com", "b@example.com"}, 0},
		{"partly refused", []string{"a@example.com", "gone@refused.example", "b@example.com"}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			db := openDB(t)
			srv := mailtest.StartRough(t, false)
			srv.SlowToAnswer(time.Second)
			m, err := mail.New(mail.Options{Host: srv.Host, Port: srv.Port, TLS: mail.TLSNone, From: "syncd@example.com",
				To: tc.to, Timeout: 10 * time.Second})
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			go func() { // the stop, once the server has the (first) message
				for len(srv.Accepted()) == 0 {
					time.Sleep(10 * time.Millisecond)
				}
				cancel()
			}()
			day := report.Day{Year: 2026, Month: 4, Day: 2}
			_, _ = report.Make(ctx, day, report.Options{Store: db, Dir: t.TempDir(), Mailer: m, MailAttempts: 5, MailBackoff: time.Minute})
			recs, err := db.Reports(context.Background(), day.String())
			if err != nil {
				t.Fatal(err)
			}
			if len(recs) != 1 || recs[0].Mail != report.MailSent {
				t.Fatalf("the server took the mail (%q), yet recorded %+v: the next start mails it again", srv.Accepted(), recs)
			}
			if n, _ := report.Refused(recs[0]); n != tc.refused {
				t.Fatalf("recorded %d refused (%q), want %d", n, recs[0].MailError, tc.refused)
			}
		})
	}
}
