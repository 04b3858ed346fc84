package mail_test

import (
	"context"
	"sort"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/mail"
	"github.com/syncd-dev/syncd/internal/mail/mailtest"
)

// TestEachRecipientGetsTheReportOnce: a report.mail.to naming a person
// twice (the same address, or written in other case or with a name) sent
// that person the report twice once another address was refused (each
// copy apart), and asked the server to deliver it twice in one message
// otherwise. Each address gets it once, whatever the others.
func TestEachRecipientGetsTheReportOnce(t *testing.T) {
	for _, to := range [][]string{
		{"a@example.com", "Boss <b@example.com>", "A@Example.com", "b@example.com"},
		{"a@example.com", "Boss <b@example.com>", "gone@refused.example", "A@Example.com", "b@example.com"},
	} {
		srv := mailtest.Start(t, "reports", "s3cret")
		err := sender(t, srv, "reports", "s3cret", func(o *mail.Options) { o.To = to }).Send(context.Background(), "12 leads", "12 leads.")
		if err != nil && !mail.Partial(err) {
			t.Fatalf("to %q: %v", to, err)
		}
		var got []string
		for _, m := range srv.Messages() {
			for _, r := range m.To {
				got = append(got, strings.ToLower(r))
			}
		}
		sort.Strings(got)
		if strings.Join(got, ",") != "a@example.com,b@example.com" {
			t.Errorf("to %q: delivered to %q, want a@ and b@ once each", to, got)
		}
	}
}
