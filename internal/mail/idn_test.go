package mail_test

import (
	"context"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/mail"
	"github.com/syncd-dev/syncd/internal/mail/mailtest"
)

// TestRecipientsAtAnInternationalDomainGetTheReport: an address whose
// domain has letters beyond ASCII (sales@bücher.example, a Danish
// æøå-domain) went to the server as written, in RCPT TO and the To header:
// SMTP without SMTPUTF8 takes ASCII only, so a server could refuse it or
// pass on a name no DNS holds. The domain goes in its ASCII form (IDNA,
// xn--...), which every server takes, and names written both ways are one
// recipient.
func TestRecipientsAtAnInternationalDomainGetTheReport(t *testing.T) {
	srv := mailtest.Start(t, "reports", "s3cret")
	s := sender(t, srv, "reports", "s3cret", func(o *mail.Options) {
		o.From = "Leads <reports@bücher.example>"
		o.To = []string{"sales@bücher.example", "Søren Ås <boss@æøå.dk>", "sales@xn--bcher-kva.example"}
	})
	if err := s.Send(context.Background(), "12 leads", "12 leads.\n"); err != nil {
		t.Fatal(err)
	}
	msgs := srv.Messages()
	if len(msgs) != 1 {
		t.Fatalf("%d messages, want 1", len(msgs))
	}
	m := msgs[0]
	want := "sales@xn--bcher-kva.example,boss@xn--5cab8c.dk"
	if got := strings.Join(m.To, ","); got != want || m.From != "reports@xn--bcher-kva.example" {
		t.Fatalf("envelope from %q to %q, want from reports@xn--bcher-kva.example to %q", m.From, got, want)
	}
	p, err := m.Parse()
	if err != nil {
		t.Fatal(err)
	}
	if to := p.Header.Get("To"); !strings.Contains(to, "<sales@xn--bcher-kva.example>") || !strings.Contains(to, "<boss@xn--5cab8c.dk>") {
		t.Errorf("To: %s", to)
	}
	if from := p.Header.Get("From"); !strings.Contains(from, "<reports@xn--bcher-kva.example>") {
		t.Errorf("From: %s", from)
	}
}
