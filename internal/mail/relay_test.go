package mail_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/mail"
	"github.com/syncd-dev/syncd/internal/mail/mailtest"
)

// TestARelayRefusalSaysToLogIn: a mail server that takes mail without a
// login for its own domains only (a company's relay, its MX on port 25)
// refuses the others: Postfix "554 5.7.1 <boss@gmail.com>: Relay access
// denied", Exchange "550 5.7.54 Unable to relay recipient in non-accepted
// domain". syncd said to correct or remove the address, though it is
// right, and counted it a recipient's refusal; the setting to change is
// the login, or the server. That is said, and a mail nobody got for it is a
// setting that does not fit (not tried again); one the others got names
// those refused with it.
func TestARelayRefusalSaysToLogIn(t *testing.T) {
	t.Parallel()
	srv := mailtest.Start(t, "", "")
	noLogin := func(to ...string) *mail.Sender {
		return sender(t, srv, "", "", func(o *mail.Options) { o.Auth, o.To = "", to })
	}
	for _, to := range [][]string{{"boss@norelay.example"}, {"boss@norelay.example", "sales@notaccepted.example"}} {
		err := noLogin(to...).Send(context.Background(), "12 leads", "12 leads.")
		if !mail.Misfit(err) || mail.Partial(err) || !strings.Contains(err.Error(), "Relay access denied") ||
			!strings.Contains(err.Error(), "set username and password_file") || strings.Contains(err.Error(), "correct or remove") {
			t.Errorf("to %v: err = %v (setting %v): want the login said as the setting to change", to, err, mail.Misfit(err))
		}
	}

	err := noLogin("a@example.com", "boss@norelay.example", "sales@notaccepted.example", "gone@refused.example").
		Send(context.Background(), "12 leads", "12 leads.")
	var me *mail.Error
	if !errors.As(err, &me) || !me.Partial() || len(me.Refusals()) != 3 {
		t.Fatalf("err = %v: want a@ mailed, three refused", err)
	}
	for _, r := range me.Refusals() {
		relay := !strings.HasPrefix(r, "gone@")
		if strings.Contains(r, "set username and password_file") != relay {
			t.Errorf("refusal %q: want the login said for a relay refusal alone", r)
		}
	}
	if n := len(srv.Messages()); n != 1 {
		t.Errorf("%d messages, want 1 (to a@example.com)", n)
	}
}

// TestPostfixsRelayRefusalForNowSaysToLogIn: Postfix since 2.10 refuses to
// relay for a host not in its mynetworks and without a login "for now" by
// default ("454 4.7.1 <a@b>: Relay access denied"). syncd said "the server
// refused a@example.com for now ...: it may take it later", and the daemon
// tried again for ever: no wait mends it. It is the relay refusal, said
// with the login to set, and not tried again; a 4xx naming relaying
// otherwise stays for now.
func TestPostfixsRelayRefusalForNowSaysToLogIn(t *testing.T) {
	t.Parallel()
	for _, to := range [][]string{{"manager@example.com"}, {"manager@example.com", "boss@example.com"}} {
		srv := mailtest.StartRough(t, false)
		srv.AnswerRcptTo("454 4.7.1 <manager@example.com>: Relay access denied")
		s, err := mail.New(mail.Options{Host: srv.Host, Port: srv.Port, TLS: mail.TLSNone,
			From: "syncd@example.com", To: to, Timeout: 10 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		err = s.Send(context.Background(), "12 leads", "12 leads.\n")
		if !mail.Misfit(err) || mail.Temporary(err) || mail.Partial(err) || !strings.Contains(err.Error(), "454 4.7.1") ||
			!strings.Contains(err.Error(), "set username and password_file") || strings.Contains(err.Error(), "it may take it later") {
			t.Errorf("to %v: err = %v (setting %v, temporary %v): want the login said as the setting to change, not retried",
				to, err, mail.Misfit(err), mail.Temporary(err))
		}
	}
	srv := mailtest.StartRough(t, false)
	srv.AnswerRcptTo("451 4.3.0 relay service busy, try again later")
	s, err := mail.New(mail.Options{Host: srv.Host, Port: srv.Port, TLS: mail.TLSNone,
		From: "syncd@example.com", To: []string{"manager@example.com"}, Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Send(context.Background(), "12 leads", "12 leads.\n"); mail.Misfit(err) || !mail.Temporary(err) {
		t.Errorf("err = %v (setting %v, temporary %v): want it tried again", err, mail.Misfit(err), mail.Temporary(err))
	}
}
