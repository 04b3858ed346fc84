package mail_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/mail"
	"github.com/syncd-dev/syncd/internal/mail/mailtest"
)

// TestTooLargeAttachmentIsLeftOut: a workbook larger than the mail server
// takes had it answer 552 to the data, and nobody got a mail: the
// operator learned it from the log alone. The server's announced limit
// (SIZE) is now heeded, and a 552 taken for what it says: the mail goes
// without the attachment, saying it is too large and where it is kept,
// and the error says so (Unattached), not temporary, not partial.
func TestTooLargeAttachmentIsLeftOut(t *testing.T) {
	t.Parallel()
	file := filepath.Join(t.TempDir(), "leads-2026-03-29.xlsx")
	if err := os.WriteFile(file, bytes.Repeat([]byte("PK\x03\x04 binary \x00\xff"), 30_000), 0o640); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		srv  func() *mailtest.Server
		want []string // in the error
	}{
		{"announced", func() *mailtest.Server { return mailtest.StartSized(t, "reports", "s3cret", 100_000) },
			[]string{"leads-2026-03-29.xlsx", "576 kB", "100 kB", "sent without it", file}},
		{"answered 552", func() *mailtest.Server {
			srv := mailtest.Start(t, "reports", "s3cret")
			srv.RefuseOver(100_000)
			return srv
		}, []string{"leads-2026-03-29.xlsx", "552 5.3.4 message too big for system", "sent without it", file}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := tc.srv()
			err := sender(t, srv, "reports", "s3cret", nil).SendHTML(context.Background(), "12 leads", "12 leads.\n", "<p>12 leads.</p>", file)
			var me *mail.Error
			if !errors.As(err, &me) || mail.Temporary(err) || mail.Partial(err) || !slices.Equal(me.Unattached(), []string{file}) {
				t.Fatalf("err = %v: want one saying the attachment was left out", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("err = %v\nwant it to say %q", err, w)
				}
			}
			msgs := srv.Messages()
			if len(msgs) != 1 || strings.Join(msgs[0].To, ",") != "a@example.com,b@example.com" {
				t.Fatalf("%d messages arrived, want 1 to both", len(msgs))
			}
			p, err := msgs[0].Parse()
			if err != nil {
				t.Fatal(err)
			}
			if len(p.Attachments) != 0 || p.Subject != "12 leads" {
				t.Fatalf("subject %q, attachments %d: want the mail without its attachment", p.Subject, len(p.Attachments))
			}
			for _, part := range []string{p.Text, p.HTML} {
				for _, w := range []string{"leads-2026-03-29.xlsx", "too large for the mail server", file, "12 leads."} {
					if !strings.Contains(part, w) {
						t.Errorf("mail part %q\nwant it to say %q", part, w)
					}
				}
			}
		})
	}
}
