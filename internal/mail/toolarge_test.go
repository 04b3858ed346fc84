package mail_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/mail"
	"github.com/syncd-dev/syncd/internal/mail/mailtest"
)

// TestMessageTooLargeIsSaidSo: a message larger than the mail server
// takes was sent whole for the server's 552, and the error counted like
// any refusal. The server's announced limit (SIZE, RFC 1870) is now
// heeded, nothing sent, and a 552 taken for what it says: the error says
// it is too large and how (TooLarge), not temporary, so that the caller
// can send it without its attachment (see internal/report).
func TestMessageTooLargeIsSaidSo(t *testing.T) {
	t.Parallel()
	file := filepath.Join(t.TempDir(), "leads-2026-03-29.xlsx")
	if err := os.WriteFile(file, bytes.Repeat([]byte("PK\x03\x04 binary \x00\xff"), 30_000), 0o640); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		to   []string
		srv  func() *mailtest.Server
		want string // in TooLarge
	}{
		{"announced", []string{"a@example.com"}, func() *mailtest.Server { return mailtest.StartSized(t, "reports", "s3cret", 100_000) },
			"kB, where the server takes up to 100 kB"},
		{"answered 552", []string{"a@example.com"}, func() *mailtest.Server {
			srv := mailtest.Start(t, "reports", "s3cret")
			srv.RefuseOver(100_000)
			return srv
		}, "the server answered 552 5.3.4 message too big for system"},
		{"answered 552 to each copy", []string{"a@example.com", "gone@refused.example"}, func() *mailtest.Server {
			srv := mailtest.Start(t, "reports", "s3cret")
			srv.RefuseOver(100_000)
			return srv
		}, "the server answered 552 5.3.4 message too big for system"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := tc.srv()
			s := sender(t, srv, "reports", "s3cret", func(o *mail.Options) { o.To = tc.to })
			err := s.SendHTML(context.Background(), "12 leads", "12 leads.\n", "<p>12 leads.</p>", file)
			var me *mail.Error
			if !errors.As(err, &me) || mail.Temporary(err) || mail.Partial(err) || !strings.Contains(me.TooLarge(), tc.want) ||
				!strings.Contains(err.Error(), "too large for the server ("+me.TooLarge()+")") {
				t.Fatalf("err = %v: want it too large, saying %q", err, tc.want)
			}
			if n := len(srv.Messages()); n != 0 {
				t.Fatalf("%d messages arrived", n)
			}
			// Without the attachment, it goes.
			if err := s.SendHTML(context.Background(), "12 leads", "12 leads.\n", "<p>12 leads.</p>"); err != nil && !mail.Partial(err) {
				t.Fatal(err)
			}
			if n := len(srv.Messages()); n != 1 {
				t.Fatalf("%d messages arrived without the attachment, want 1", n)
			}
		})
	}
}
