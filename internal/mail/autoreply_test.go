package mail_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/mail"
	"github.com/syncd-dev/syncd/internal/mail/mailtest"
)

// TestTheReportAsksForNoAutomaticReply: the report, mailed every morning by
// a program, did not say so: the out-of-office reply of each recipient
// away went back to the sender's mailbox each day (or bounced there, from
// an address that takes no mail). Each message is labelled as RFC 3834
// has an automatic one labelled (Auto-Submitted, which Sieve's vacation
// and other responders heed), and as Exchange and Outlook read it
// (X-Auto-Response-Suppress: OOF, AutoReply); delivery and non-delivery
// reports are left to come back. The copies sent apart, when a recipient
// was refused, are labelled alike.
func TestTheReportAsksForNoAutomaticReply(t *testing.T) {
	t.Parallel()
	srv := mailtest.Start(t, "reports", "s3cret")
	book := filepath.Join(t.TempDir(), "leads-2026-12-03.xlsx")
	if err := os.WriteFile(book, []byte("PK\x03\x04"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := sender(t, srv, "reports", "s3cret", nil).SendHTML(context.Background(), "12 leads", "12 leads.", "<p>12 leads.</p>", book); err != nil {
		t.Fatal(err)
	}
	s := sender(t, srv, "reports", "s3cret", func(o *mail.Options) { o.To = []string{"a@example.com", "gone@refused.example", "b@example.com"} })
	if err := s.Send(context.Background(), "12 leads", "12 leads."); !mail.Partial(err) {
		t.Fatalf("err = %v: want a@ and b@ mailed, gone@ refused", err)
	}
	msgs := srv.Messages()
	if len(msgs) != 3 {
		t.Fatalf("%d messages, want 3", len(msgs))
	}
	for _, m := range msgs {
		p, err := m.Parse()
		if err != nil {
			t.Fatal(err)
		}
		// RFC 3834, 2: no automatic response to a message whose
		// Auto-Submitted is anything but "no".
		if as := strings.TrimSpace(p.Header.Get("Auto-Submitted")); as != "auto-generated" {
			t.Errorf("to %v: Auto-Submitted %q, want auto-generated", m.To, as)
		}
		suppress := map[string]bool{}
		for _, v := range strings.Split(p.Header.Get("X-Auto-Response-Suppress"), ",") {
			suppress[strings.TrimSpace(v)] = true
		}
		if !suppress["OOF"] || !suppress["AutoReply"] || suppress["NDR"] || suppress["All"] {
			t.Errorf("to %v: X-Auto-Response-Suppress %q, want OOF and AutoReply, non-delivery reports not suppressed",
				m.To, p.Header.Get("X-Auto-Response-Suppress"))
		}
	}
}
