package report_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/mail"
	"github.com/syncd-dev/syncd/internal/mail/mailtest"
	"github.com/syncd-dev/syncd/internal/report"
)

// TestMailSettingsTheServerDoesNotFitAreNotRetried: a server offering no
// STARTTLS (tls: starttls, the default) had the daemon try five times
// over 15 minutes, each failing alike, recorded as "dial failed: STARTTLS
// mode set to: "TLSMandatory" ...". One attempt now, recorded as not sent
// for the settings, with what to change.
func TestMailSettingsTheServerDoesNotFitAreNotRetried(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	ctx := context.Background()
	db := openDB(t)
	srv := mailtest.StartRough(t, false)
	m, err := mail.New(mail.Options{Host: srv.Host, Port: srv.Port, From: "syncd@example.com",
		To: []string{"a@example.com"}, Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	day := report.Day{Year: 2026, Month: 4, Day: 2}
	_, err = report.Make(ctx, day, report.Options{Store: db, Dir: t.TempDir(), Mailer: m, MailAttempts: 5, MailBackoff: time.Millisecond})
	if err == nil {
		t.Fatal("mailed through a server offering no STARTTLS")
	}
	recs, _ := db.Reports(ctx, day.String())
	if len(recs) != 1 || recs[0].Mail != report.MailFailed || recs[0].Attempts != 1 ||
		!strings.HasPrefix(recs[0].MailError, "mail not sent: ") || !strings.Contains(recs[0].MailError, "offers no STARTTLS") {
		t.Fatalf("recorded %+v, want failed after one attempt, saying the server offers no STARTTLS", recs)
	}
}
