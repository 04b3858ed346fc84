package report_test

import (
	"context"
	"crypto/tls"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/mail"
	"github.com/syncd-dev/syncd/internal/mail/mailtest"
	"github.com/syncd-dev/syncd/internal/report"
)

// TestTooLargeAndPartlyRefusedSaysBoth: a workbook too large for the mail
// server, and a recipient the server refuses for good (with, or without,
// another refused only for now and taken later). The mail went without
// the workbook and to the others, and the log said both; the record kept
// the refusal alone, so syncd status and /metrics never said the managers
// lacked the workbook. Both are recorded now: Refused reads the refusal,
// Unattached why and where the workbook is.
func TestTooLargeAndPartlyRefusedSaysBoth(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		to   []string
	}{
		{"refused for good", []string{"boss@example.com", "gone@refused.example"}},
		{"and one for now, taken later", []string{"boss@example.com", "gone@refused.example", "d@greylist.example"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			db := openDB(t)
			srv := mailtest.StartSized(t, "syncd", "pw", 8_000)
			srv.Greylist(2)
			m, err := mail.New(mail.Options{Host: srv.Host, Port: srv.Port, Username: "syncd", Password: "pw", Auth: "PLAIN",
				TLSConfig: &tls.Config{RootCAs: srv.RootCAs, MinVersion: tls.VersionTLS12}, From: "syncd@example.com",
				To: tc.to, Timeout: 10 * time.Second})
			if err != nil {
				t.Fatal(err)
			}
			day := report.Day{Year: 2026, Month: 4, Day: 2}
			path, err := report.Make(ctx, day, report.Options{Store: db, Dir: t.TempDir(), Mailer: m, MailAttempts: 5,
				MailBackoff: time.Millisecond})
			if !mail.Partial(err) {
				t.Fatalf("err = %v, want the partial refusal", err)
			}
			var got []string
			for _, msg := range srv.Messages() {
				got = append(got, msg.To...)
			}
			if want := strings.Join(slicesWithout(tc.to, "gone@refused.example"), ","); strings.Join(got, ",") != want {
				t.Fatalf("delivered to %q, want %q", got, want)
			}
			recs, _ := db.Reports(ctx, day.String())
			if len(recs) != 1 || recs[0].Mail != report.MailSent {
				t.Fatalf("recorded %+v, want sent", recs)
			}
			if n, who := report.Refused(recs[0]); n != 1 || who != "gone@refused.example (550 5.1.1 no such user)" {
				t.Errorf("Refused = %d, %q; want gone@refused.example alone", n, who)
			}
			why := report.Unattached(recs[0])
			if !strings.Contains(why, "too large") || !strings.Contains(why, path) {
				t.Errorf("Unattached = %q, want it too large and kept at %s (recorded %q)", why, path, recs[0].MailError)
			}
		})
	}
}

func slicesWithout(s []string, drop string) []string {
	var out []string
	for _, v := range s {
		if v != drop {
			out = append(out, v)
		}
	}
	return out
}
