package mail_test

import (
	"context"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/mail"
	"github.com/syncd-dev/syncd/internal/mail/mailtest"
)

// TestGreetingNamesAFullyQualifiedHost: syncd greeted every mail server
// with go-mail's default, the machine's name as the kernel has it, most
// often a short one ("EHLO vm", "EHLO crm01"), which RFC 5321 does not
// allow (a fully qualified domain name, or an address literal) and which
// servers hardened against spam refuse (Postfix's
// reject_non_fqdn_helo_hostname: "504 5.5.2 <crm01>: Helo command
// rejected: need fully-qualified hostname"), so the day's report never
// left. It now gives the host's own name when that is fully qualified,
// else the domain of report.mail.from; report.mail's HELO, when set,
// stands.
func TestGreetingNamesAFullyQualifiedHost(t *testing.T) {
	srv := mailtest.Start(t, "reports", "s3cret")
	s := sender(t, srv, "reports", "s3cret", nil)
	if err := s.Send(context.Background(), "Leads report", "No leads.\n", ""); err != nil {
		t.Fatal(err)
	}
	msgs := srv.Messages()
	if len(msgs) != 1 {
		t.Fatalf("%d messages, want 1", len(msgs))
	}
	if h := msgs[0].Helo; h == "localhost" || !strings.Contains(h, ".") || strings.HasPrefix(h, "localhost.") {
		t.Errorf("EHLO %q: want a fully qualified domain name", h)
	}
	s = sender(t, srv, "reports", "s3cret", func(o *mail.Options) { o.HELO = "reports.agency.example" })
	if err := s.Send(context.Background(), "Leads report", "No leads.\n", ""); err != nil {
		t.Fatal(err)
	}
	if h := srv.Messages()[1].Helo; h != "reports.agency.example" {
		t.Errorf("EHLO %q: want the name given", h)
	}
}

// TestHelloName: the host's name when fully qualified, else the sender's
// domain, else none (go-mail's default).
func TestHelloName(t *testing.T) {
	for _, c := range []struct{ host, from, want string }{
		{"crm01.agency.dk", "syncd <syncd@agency.dk>", "crm01.agency.dk"},
		{"crm01", "syncd <syncd@agency.dk>", "agency.dk"},
		{"localhost.localdomain", "syncd@agency.dk", "agency.dk"},
		{"", "Reports <reports@mail.agency.dk>", "mail.agency.dk"},
		{"crm01", "not an address", ""},
	} {
		if got := mail.HelloName(c.host, c.from); got != c.want {
			t.Errorf("HelloName(%q, %q) = %q, want %q", c.host, c.from, got, c.want)
		}
	}
}
