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

// TestRecipientAnsweredForNowIsRetriedAlone: of a report's recipients,
// one refused for good (550) and one for now (450, greylisting), the one
// for now was counted refused for good once the copies went apart, and
// never mailed. It is now tried again alone, the others not mailed again;
// recorded beside the refused one while it waits, and gone from the
// record once it has the report. When it never takes it, the attempts
// end, the record says so, and the others still got it once.
func TestRecipientAnsweredForNowIsRetriedAlone(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name      string
		greylist  int // refusals before the greylisted address is taken; 0: never
		delivered string
		refused   int
		who       []string
	}{
		{"taken later", 2, "boss@example.com,d@greylist.example", 1, []string{"gone@refused.example (550 5.1.1 no such user)"}},
		{"never taken", 0, "boss@example.com", 2, []string{"gone@refused.example (550 5.1.1 no such user)",
			"d@greylist.example (450 4.7.1 greylisted, try again later) for now, given up after 4 attempts"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			db := openDB(t)
			srv := mailtest.Start(t, "syncd", "pw")
			srv.Greylist(tc.greylist)
			m, err := mail.New(mail.Options{Host: srv.Host, Port: srv.Port, Username: "syncd", Password: "pw", Auth: "PLAIN",
				TLSConfig: &tls.Config{RootCAs: srv.RootCAs, MinVersion: tls.VersionTLS12}, From: "syncd@example.com",
				To: []string{"boss@example.com", "gone@refused.example", "d@greylist.example"}, Timeout: 10 * time.Second})
			if err != nil {
				t.Fatal(err)
			}
			day := report.Day{Year: 2026, Month: 4, Day: 3}
			_, err = report.Make(ctx, day, report.Options{Store: db, Dir: t.TempDir(), Mailer: m, MailAttempts: 4, MailBackoff: time.Millisecond})
			if !mail.Partial(err) || !strings.Contains(err.Error(), "gone@refused.example") {
				t.Fatalf("err = %v, want the partial refusal", err)
			}
			var got []string
			for _, msg := range srv.Messages() {
				got = append(got, msg.To...)
			}
			if strings.Join(got, ",") != tc.delivered {
				t.Fatalf("delivered to %q, want %q: each once", got, tc.delivered)
			}
			recs, _ := db.Reports(ctx, day.String())
			if len(recs) != 1 || recs[0].Mail != report.MailSent {
				t.Fatalf("recorded %+v, want sent", recs)
			}
			if n, who := report.Refused(recs[0]); n != tc.refused || who != strings.Join(tc.who, "; ") {
				t.Errorf("Refused = %d, %q; want %d, %q", n, who, tc.refused, strings.Join(tc.who, "; "))
			}
		})
	}
}

// TestWaitingForNowCountsWhoWaits: how many recipients refused only for
// now wait to be mailed again is read from the recipients the record
// keeps waiting, not from the words beside the refusals, which hold the
// servers' own answers.
func TestWaitingForNowCountsWhoWaits(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name string
		rec  report.Record
		want int
	}{
		{"two waiting", report.Record{Mail: report.MailSent, MailWaiting: `{"to":["d@x.dk","e@x.dk"],"deferrals":["d@x.dk (450 greylisted)","e@x.dk (451 try later)"]}`}, 2},
		{"refused for good in a waiting one's words", report.Record{Mail: report.MailSent,
			MailNote: report.MailNote{Refused: 1, RefusedWho: "gone@x.dk (550 rejected (policy) for now, trying again is useless)"}}, 0},
		{"not sent", report.Record{Mail: report.MailPending, MailWaiting: `{"to":["d@x.dk"]}`}, 0},
		{"a waiting state that does not read", report.Record{Mail: report.MailSent, MailWaiting: `{"to":`}, 0},
	} {
		if got := report.WaitingForNow(c.rec); got != c.want {
			t.Errorf("%s: WaitingForNow = %d, want %d", c.name, got, c.want)
		}
	}
}
