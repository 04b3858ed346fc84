package mail_test

import (
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

// TestAFullMailboxIsRefusedForNow: a recipient whose mailbox is full, which
// Gmail and Exchange answer 552 5.2.2 ("over quota"), was counted refused
// for good: the report was never mailed to them again, and the operator
// was told to correct or remove an address that is right. RFC 5321
// (4.5.3.1.10) has a client take a 552 to RCPT for now, and RFC 3463's
// X.2.2 is a full mailbox; it is now Pending, as a 452 is, to be mailed
// again alone. A full mailbox found on delivery, 552 5.2.2 to the data,
// was taken for a message too large for the server: the report went
// without its workbook, and the operator was told to raise the server's
// size limit. It is a failure for now, worth trying again.
func TestAFullMailboxIsRefusedForNow(t *testing.T) {
	t.Parallel()
	srv := mailtest.Start(t, "reports", "s3cret")
	s := sender(t, srv, "reports", "s3cret", func(o *mail.Options) { o.To = []string{"a@example.com", "boss@full.example"} })
	err := s.SendHTML(context.Background(), "12 leads", "12 leads.", "<p>12 leads.</p>")
	var me *mail.Error
	if !errors.As(err, &me) || !me.Partial() || len(me.Refusals()) != 0 || !slices.Equal(me.Pending(), []string{"boss@full.example"}) {
		t.Fatalf("err = %v: want a@ mailed and boss@ pending, refused only for now", err)
	}

	// The only recipient's: the words say what it is, not to mend the address.
	s = sender(t, srv, "reports", "s3cret", func(o *mail.Options) { o.To = []string{"boss@full.example"} })
	err = s.SendHTML(context.Background(), "12 leads", "12 leads.", "<p>12 leads.</p>")
	if !mail.Temporary(err) || !strings.Contains(err.Error(), "the mailbox of boss@full.example is full (552 5.2.2 mailbox full): the address is right") ||
		strings.Contains(err.Error(), "correct or remove") {
		t.Fatalf("err = %v (temporary %v): want the mailbox said full, for now", err, mail.Temporary(err))
	}

	book := filepath.Join(t.TempDir(), "leads-2026-12-03.xlsx")
	if err := os.WriteFile(book, make([]byte, 4096), 0o600); err != nil {
		t.Fatal(err)
	}
	s = sender(t, srv, "reports", "s3cret", func(o *mail.Options) { o.To = []string{"boss@fulldata.example"} })
	err = s.SendHTML(context.Background(), "12 leads", "12 leads.", "<p>12 leads.</p>", book)
	if !errors.As(err, &me) || !me.Temporary() || me.TooLarge() != "" {
		t.Fatalf("err = %v (temporary %v, too large %q): want a failure for now, not a message too large",
			err, mail.Temporary(err), me.TooLarge())
	}
}
