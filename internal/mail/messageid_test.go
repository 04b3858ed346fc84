package mail_test

import (
	"context"
	"os"
	"regexp"
	"testing"

	"github.com/syncd-dev/syncd/internal/mail"
	"github.com/syncd-dev/syncd/internal/mail/mailtest"
)

// TestMessageIDNamesTheSendersDomain: each report mail's Message-ID named
// the machine it was made on, bare ("<WZ1.I8G4jSQLJPebqmUwSr@vm>"): not a
// domain that makes the id unique the world over (RFC 5322 3.6.4), and the
// internal host's name told to every recipient. The id is now a random
// part at the From address's domain (in ASCII and lower case, as the
// address is sent), and two messages have two ids.
func TestMessageIDNamesTheSendersDomain(t *testing.T) {
	t.Parallel()
	host, _ := os.Hostname()
	for _, tc := range []struct{ from, domain string }{
		{"syncd <syncd@example.com>", "example.com"},
		{"Leads report <reports@Agency.Example>", "agency.example"},
		{"reports@bücher.example", "xn--bcher-kva.example"},
	} {
		t.Run(tc.domain, func(t *testing.T) {
			t.Parallel()
			srv := mailtest.Start(t, "reports", "s3cret")
			s := sender(t, srv, "reports", "s3cret", func(o *mail.Options) {
				o.From, o.To = tc.from, []string{"a@example.com"}
			})
			for range 2 {
				if err := s.Send(context.Background(), "12 leads", "12 leads.\n"); err != nil {
					t.Fatal(err)
				}
			}
			want := regexp.MustCompile(`^<[A-Za-z0-9]{20,}@` + regexp.QuoteMeta(tc.domain) + `>$`)
			seen := map[string]bool{}
			for _, m := range srv.Messages() {
				p, err := m.Parse()
				if err != nil {
					t.Fatal(err)
				}
				id := p.Header.Get("Message-ID")
				if !want.MatchString(id) {
					t.Errorf("Message-ID %q: want a random part at %s (the host is %q)", id, tc.domain, host)
				}
				if seen[id] {
					t.Errorf("Message-ID %q twice", id)
				}
				seen[id] = true
			}
		})
	}
}
