package report_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"html"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/mail"
	"github.com/syncd-dev/syncd/internal/mail/mailtest"
	"github.com/syncd-dev/syncd/internal/report"
)

// TestWorkbookTooLargeForTheMailServer: a workbook larger than the mail
// server takes (its SIZE) was answered 552, counted a refusal for good:
// nobody got a mail, and the log alone said why. The mail now goes without
// it, saying where it is kept; it is recorded as mailed, without the
// workbook, which the log says once and Unattached reads back for status,
// and no recipient is counted refused.
func TestWorkbookTooLargeForTheMailServer(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	ctx := context.Background()
	db := openDB(t)
	srv := mailtest.StartSized(t, "syncd", "pw", 8_000)
	m, err := mail.New(mail.Options{Host: srv.Host, Port: srv.Port, Username: "syncd", Password: "pw", Auth: "PLAIN",
		TLSConfig: &tls.Config{RootCAs: srv.RootCAs, MinVersion: tls.VersionTLS12},
		From:      "syncd@example.com", To: []string{"agency@example.com"}, Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	var log bytes.Buffer
	day := report.Day{Year: 2026, Month: 4, Day: 2}
	path, err := report.Make(ctx, day, report.Options{Store: db, Dir: t.TempDir(), Mailer: m, MailAttempts: 5,
		MailBackoff: time.Millisecond, Log: zerolog.New(&log)})
	if err != nil {
		t.Fatalf("err = %v, want the mail sent without the workbook", err)
	}
	msgs := srv.Messages()
	if len(msgs) != 1 {
		t.Fatalf("%d messages arrived, want 1", len(msgs))
	}
	p, err := msgs[0].Parse()
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Attachments) != 0 {
		t.Fatalf("%d attachments, want none", len(p.Attachments))
	}
	// The subject says it too: the note in the mail is read by who opens
	// it, and who looks for the workbook in their inbox saw nothing amiss.
	if !strings.HasSuffix(p.Subject, " (workbook not attached: too large, kept on the server)") {
		t.Errorf("subject %q does not say the workbook is not attached", p.Subject)
	}
	// The HTML part escapes the path as HTML does (an apostrophe is &#39;).
	for part, where := range map[string]string{p.Text: path, p.HTML: html.EscapeString(path)} {
		if !strings.Contains(part, "leads-2026-04-02.xlsx is not attached: it is too large for the mail server (") ||
			!strings.Contains(part, where) || strings.Contains(part, "is attached.") {
			t.Errorf("mail part %q\nwant it to say the workbook is not attached, and where it is", part)
		}
	}
	recs, _ := db.Reports(ctx, day.String())
	if len(recs) != 1 || recs[0].Mail != report.MailSent || recs[0].Attempts != 1 {
		t.Fatalf("recorded %+v, want sent after one attempt", recs)
	}
	if n, who := report.Refused(recs[0]); n != 0 || who != "" {
		t.Errorf("Refused = %d, %q: nobody was refused", n, who)
	}
	why := report.Unattached(recs[0])
	for _, w := range []string{"too large", "takes up to 8 kB", path} {
		if !strings.Contains(why, w) {
			t.Errorf("Unattached = %q, want it to say %q", why, w)
		}
	}
	if n := strings.Count(log.String(), "without its workbook"); n != 1 || strings.Count(log.String(), `"level":"warn"`) != 1 {
		t.Errorf("log said it %d times, want once, as the only warning:\n%s", n, log.String())
	}
}
