package mail_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/syncd-dev/syncd/internal/mail"
	"github.com/syncd-dev/syncd/internal/mail/mailtest"
)

// TestAnAddressBeyondASCIIGoesOnlyWithSMTPUTF8: an address with letters
// beyond ASCII before the @ (søren@firma.dk; the domain goes as xn--, see
// TestRecipientsAtAnInternationalDomainGetTheReport) went to a server that
// offers no SMTPUTF8 as written, against RFC 6531: many relays do not
// offer it, and one took the message and bounced it later to the sender's
// mailbox, or refused the address with words that did not say why, while
// syncd said the report was mailed. It is sent only where the server
// offers SMTPUTF8, declared then; elsewhere that recipient is named, with
// why and what to do, and the others get the report. A sender address
// beyond ASCII is a setting to change. SMTPUTF8 is declared only for a
// message that needs it: a relay passes the declaration on, and one
// declared to a next server that offers none may come back undelivered.
func TestAnAddressBeyondASCIIGoesOnlyWithSMTPUTF8(t *testing.T) {
	t.Parallel()
	undeclared := func(t *testing.T, srv *mailtest.Server) {
		t.Helper()
		for _, m := range srv.Messages() {
			if !m.UTF8 && (!utf8ValidASCII(m.From) || !utf8ValidASCII(strings.Join(m.To, ""))) {
				t.Errorf("the server got from %q to %q without SMTPUTF8 declared", m.From, m.To)
			}
		}
	}

	t.Run("a recipient, server without SMTPUTF8", func(t *testing.T) {
		srv := mailtest.Start(t, "reports", "s3cret")
		s := sender(t, srv, "reports", "s3cret", func(o *mail.Options) {
			o.To = []string{"a@example.com", "Søren <søren@firma.dk>", "salg@ærø.dk"}
		})
		err := s.SendHTML(context.Background(), "12 leads", "12 leads.", "<p>12 leads.</p>")
		undeclared(t, srv)
		var me *mail.Error
		if !errors.As(err, &me) || !me.Partial() || len(me.Refusals()) != 1 || len(me.Pending()) != 0 ||
			!strings.HasPrefix(me.Refusals()[0], "Søren <søren@firma.dk> (") || !strings.Contains(me.Refusals()[0], "SMTPUTF8") {
			t.Fatalf("err = %v: want a@ and salg@ mailed, søren@ refused for good for want of SMTPUTF8", err)
		}
		var got []string
		for _, m := range srv.Messages() {
			got = append(got, m.To...)
		}
		if strings.Join(got, ",") != "a@example.com,salg@xn--r-3fa9c.dk" {
			t.Errorf("delivered to %q, want a@example.com and salg@xn--r-3fa9c.dk", got)
		}
	})

	t.Run("the only recipient", func(t *testing.T) {
		srv := mailtest.Start(t, "reports", "s3cret")
		s := sender(t, srv, "reports", "s3cret", func(o *mail.Options) { o.To = []string{"søren@firma.dk"} })
		err := s.Send(context.Background(), "12 leads", "12 leads.")
		undeclared(t, srv)
		if err == nil || mail.Temporary(err) || mail.Misfit(err) ||
			!strings.Contains(err.Error(), "søren@firma.dk") || !strings.Contains(err.Error(), "SMTPUTF8") ||
			!strings.Contains(err.Error(), "ASCII letters") {
			t.Fatalf("err = %v (temporary %v): want søren@ named, SMTPUTF8 said, not to try again", err, mail.Temporary(err))
		}
		if n := len(srv.Messages()); n != 0 {
			t.Errorf("%d messages arrived", n)
		}
	})

	t.Run("the sender", func(t *testing.T) {
		srv := mailtest.Start(t, "reports", "s3cret")
		s := sender(t, srv, "reports", "s3cret", func(o *mail.Options) { o.From = "Rapport <søren@firma.dk>" })
		err := s.Send(context.Background(), "12 leads", "12 leads.")
		undeclared(t, srv)
		if !mail.Misfit(err) || !strings.Contains(err.Error(), "set from:") || !strings.Contains(err.Error(), "SMTPUTF8") {
			t.Fatalf("err = %v: want from: said to change", err)
		}
	})

	t.Run("server with SMTPUTF8", func(t *testing.T) {
		srv := mailtest.StartSMTPUTF8(t, "reports", "s3cret")
		s := sender(t, srv, "reports", "s3cret", func(o *mail.Options) { o.To = []string{"a@example.com", "søren@firma.dk"} })
		if err := s.Send(context.Background(), "12 leads", "12 leads."); err != nil {
			t.Fatal(err)
		}
		s = sender(t, srv, "reports", "s3cret", func(o *mail.Options) { o.To = []string{"a@example.com"} })
		if err := s.Send(context.Background(), "12 leads", "12 leads."); err != nil {
			t.Fatal(err)
		}
		msgs := srv.Messages()
		if len(msgs) != 2 || strings.Join(msgs[0].To, ",") != "a@example.com,søren@firma.dk" || !msgs[0].UTF8 {
			t.Fatalf("messages %+v: want the first to a@ and søren@, SMTPUTF8 declared", msgs)
		}
		if msgs[1].UTF8 {
			t.Errorf("SMTPUTF8 declared for a message to a@example.com alone")
		}
	})
}

// utf8ValidASCII reports whether s is ASCII alone.
func utf8ValidASCII(s string) bool {
	return utf8.RuneCountInString(s) == len(s)
}
