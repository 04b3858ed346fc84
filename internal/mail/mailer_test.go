package mail_test

import (
	"context"
	"testing"

	"github.com/syncd-dev/syncd/internal/mail"
	"github.com/syncd-dev/syncd/internal/mail/mailtest"
)

// go-mail names itself and its version in User-Agent and X-Mailer on every
// message unless told otherwise: each recipient of the report learnt which
// mail library, at which version, the agency's server runs. A message
// names syncd, as Options.Mailer says, or nothing.
func TestMessageDoesNotNameTheMailLibrary(t *testing.T) {
	for _, tc := range []struct{ mailer, want string }{{"", ""}, {"syncd 1.4.2", "syncd 1.4.2"}} {
		srv := mailtest.Start(t, "reports", "s3cret")
		s := sender(t, srv, "reports", "s3cret", func(o *mail.Options) { o.Mailer = tc.mailer })
		if err := s.Send(context.Background(), "Leads report", "3 leads.\n"); err != nil {
			t.Fatal(err)
		}
		h := srv.Only(t).Header
		for _, name := range []string{"User-Agent", "X-Mailer"} {
			if got := h.Get(name); got != tc.want {
				t.Errorf("Mailer %q: %s: %q, want %q", tc.mailer, name, got, tc.want)
			}
		}
	}
}
