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

// TestHandMailLeavesTheRecipientRefusedForNowToTheDaemon: syncd report
// -mail tries once; a recipient the server refused only for now
// (greylisting) was recorded "for now, given up after 1 attempt(s)", and
// syncd status said so, though the address is right and nothing had
// given up on purpose. It is recorded as left for the daemon, which mails
// it alone at its next report run (here CatchUp), the others not again.
func TestHandMailLeavesTheRecipientRefusedForNowToTheDaemon(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	loc := copenhagen(t)
	db, dir := openDB(t), t.TempDir()
	srv := mailtest.Start(t, "syncd", "pw")
	srv.Greylist(2) // refused at the first attempt (its two RCPTs), taken at the next
	m, err := mail.New(mail.Options{Host: srv.Host, Port: srv.Port, Username: "syncd", Password: "pw", Auth: "PLAIN",
		TLSConfig: &tls.Config{RootCAs: srv.RootCAs, MinVersion: tls.VersionTLS12}, From: "syncd@example.com",
		To: []string{"boss@example.com", "d@greylist.example"}, Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 4, 4, 9, 0, 0, 0, loc)
	opts := report.Options{Store: db, Dir: dir, Location: loc, Now: func() time.Time { return now }, Mailer: m,
		MailAttempts: 1, MailBackoff: time.Millisecond, LeaveWaiting: true} // as syncd report -mail
	day := report.Day{Year: 2026, Month: 4, Day: 3}
	if _, err := report.Make(ctx, day, opts); !mail.Partial(err) {
		t.Fatalf("err = %v, want the partial refusal", err)
	}
	recs, _ := db.Reports(ctx, day.String())
	if len(recs) != 1 {
		t.Fatalf("recorded %+v", recs)
	}
	_, who := report.Refused(recs[0])
	if strings.Contains(who, "given up") || !strings.Contains(who, "d@greylist.example (450 4.7.1 greylisted, try again later) for now, left for the daemon") {
		t.Fatalf("recorded %q, want d@greylist.example left for the daemon, not given up", who)
	}

	opts.MailAttempts, opts.LeaveWaiting = 5, false // the daemon
	s, err := report.NewScheduler("0 6 * * *", 7, opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, msg := range srv.Messages() {
		got = append(got, msg.To...)
	}
	if strings.Join(got, ",") != "boss@example.com,d@greylist.example" {
		t.Fatalf("delivered to %q, want boss@example.com then d@greylist.example, each once", got)
	}
	recs, _ = db.Reports(ctx, day.String())
	if n, who := report.Refused(recs[0]); n != 0 {
		t.Fatalf("Refused = %d, %q after the daemon mailed it; want none", n, who)
	}
}
