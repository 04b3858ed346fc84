package mail_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/mail"
	"github.com/syncd-dev/syncd/internal/mail/mailtest"
)

// TestSenderPutOffForNowSaysSo: a server that puts the sender off for now
// at MAIL FROM (a rate limit: "451 4.7.1", or "421 4.7.0 … try again
// later" and hanging up, as Microsoft 365 and Gmail do to a client sending
// fast) was said in go-mail's words, which the log, `syncd status` and
// `syncd report -mail` repeated: `sending SMTP MAIL FROM command: 451
// "4.7.1 …", affected message ID: <…>` (with `, EOF` after a 421). It now
// says the server's answer plainly and that it may take the message later,
// still worth trying again.
func TestSenderPutOffForNowSaysSo(t *testing.T) {
	t.Parallel()
	for _, answer := range []string{"451 4.7.1 Please try again later (rate limit)", "421 4.7.0 Too many connections, try again later"} {
		srv := mailtest.StartRough(t, false)
		srv.AnswerMailFrom(answer)
		s, err := mail.New(mail.Options{Host: srv.Host, Port: srv.Port, TLS: mail.TLSNone,
			From: "syncd@example.com", To: []string{"a@example.com", "b@example.com"}, Timeout: 5 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		err = s.Send(context.Background(), "12 leads", "12 leads.\n")
		if err == nil {
			t.Fatalf("%s: sent", answer)
		}
		msg := err.Error()
		if !mail.Temporary(err) || mail.Partial(err) || mail.Misfit(err) {
			t.Errorf("%s: temporary %v, partial %v, misfit %v, want worth trying again: %s",
				answer, mail.Temporary(err), mail.Partial(err), mail.Misfit(err), msg)
		}
		if want := "the server did not take the message for now (" + answer + "): it may take it later"; !strings.Contains(msg, want) {
			t.Errorf("want %q in: %s", want, msg)
		}
		for _, lib := range []string{"SMTP", "MAIL FROM", "EOF", "affected", `"`, "\n"} {
			if strings.Contains(msg, lib) {
				t.Errorf("%s: the library's words %q in: %s", answer, lib, msg)
			}
		}
	}
}

// TestServerRefusingThisHostSaysSo: a server answering 554 to the
// connection (this host on a block list) was said as `the server answered
// 554 … before any message was sent`; it now says that the server takes no
// mail from this host and what to do, tried once: the same host is
// refused next time.
func TestServerRefusingThisHostSaysSo(t *testing.T) {
	t.Parallel()
	srv := mailtest.StartRough(t, false)
	srv.Greet("554 5.7.1 Service unavailable; Client host [127.0.0.1] blocked using zen.spamhaus.org")
	s, err := mail.New(mail.Options{Host: srv.Host, Port: srv.Port, TLS: mail.TLSNone,
		From: "syncd@example.com", To: []string{"a@example.com"}, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	err = s.Send(context.Background(), "12 leads", "12 leads.\n")
	if err == nil || mail.Temporary(err) ||
		!strings.Contains(err.Error(), "the server takes no mail from this host (554 5.7.1 Service unavailable; Client host") ||
		!strings.Contains(err.Error(), "ask its administrator to let this host send") {
		t.Fatalf("err = %v (temporary %v), want the host named as refused, tried once", err, mail.Temporary(err))
	}
}

// TestCopiesAfterAHangUpAreSaidOnce: a server answering a recipient 421
// and hanging up (Gmail's "421 4.7.0 Temporary System Problem") left the
// copies for the other recipients each said in go-mail's words, "checking
// SMTP connection: not connected to SMTP server", once a copy. They are
// now named together, as not sent because the server had ended the
// connection, still to be tried again.
func TestCopiesAfterAHangUpAreSaidOnce(t *testing.T) {
	t.Parallel()
	srv := mailtest.StartRough(t, false)
	srv.AnswerRcptTo("421 4.7.0 Temporary System Problem. Try again later")
	s, err := mail.New(mail.Options{Host: srv.Host, Port: srv.Port, TLS: mail.TLSNone, From: "syncd@example.com",
		To: []string{"a@example.com", "b@example.com", "c@example.com"}, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	err = s.Send(context.Background(), "12 leads", "12 leads.\n")
	if err == nil || !mail.Temporary(err) || mail.Partial(err) {
		t.Fatalf("err = %v (temporary %v, partial %v), want worth trying again, sent to none", err, mail.Temporary(err), mail.Partial(err))
	}
	msg := err.Error()
	for _, want := range []string{"the server refused a@example.com for now (421 4.7.0 Temporary System Problem. Try again later)",
		"not sent to b@example.com, c@example.com: the server had ended the connection"} {
		if !strings.Contains(msg, want) {
			t.Errorf("want %q in: %s", want, msg)
		}
	}
	for _, lib := range []string{"SMTP", "not connected", "checking", `"`} {
		if strings.Contains(msg, lib) {
			t.Errorf("the library's words %q in: %s", lib, msg)
		}
	}
}

// TestStartTLSFailingForNowSaysSo: a server offering STARTTLS that answers
// it 454 (RFC 3207's "TLS not available due to temporary reason": a
// certificate or key it cannot read) was said as `the server could not
// check the login for now`, with no login configured. It now says that
// TLS did not start, and what its administrator must look at; still worth
// trying again.
func TestStartTLSFailingForNowSaysSo(t *testing.T) {
	t.Parallel()
	for _, user := range []string{"", "reports"} {
		srv := mailtest.StartRough(t, false)
		srv.Offer("STARTTLS")
		s, err := mail.New(mail.Options{Host: srv.Host, Port: srv.Port, TLS: mail.TLSStartTLS, Username: user, Password: "pw",
			From: "syncd@example.com", To: []string{"a@example.com"}, Timeout: 5 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		err = s.Send(context.Background(), "12 leads", "12 leads.\n")
		if err == nil || !mail.Temporary(err) || strings.Contains(err.Error(), "login") ||
			!strings.Contains(err.Error(), "the server could not start TLS for now (454 4.7.0 TLS not available due to local problem)") {
			t.Fatalf("username %q: err = %v (temporary %v), want TLS named, not the login, worth trying again",
				user, err, mail.Temporary(err))
		}
	}
}

// TestGreetingNameRefusedSaysWhich: a server refusing the name syncd
// greets it with (Postfix's reject_non_fqdn_helo_hostname or
// reject_unknown_helo_hostname) was said as `the server answered 550 …
// before any message was sent`, without the name syncd gave, which is
// none of the settings. It now names it, where syncd takes it from, and
// what to do; tried once, as before.
func TestGreetingNameRefusedSaysWhich(t *testing.T) {
	t.Parallel()
	srv := mailtest.StartRough(t, false)
	srv.AnswerHello("550 5.7.1 <vm.office.lan>: Helo command rejected: Host not found")
	s, err := mail.New(mail.Options{Host: srv.Host, Port: srv.Port, TLS: mail.TLSNone, HELO: "vm.office.lan",
		From: "syncd@example.com", To: []string{"a@example.com"}, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	err = s.Send(context.Background(), "12 leads", "12 leads.\n")
	if err == nil || mail.Temporary(err) ||
		!strings.Contains(err.Error(), "the server refused the name syncd greets it with, vm.office.lan (550 5.7.1 <vm.office.lan>: Helo command rejected: Host not found)") ||
		!strings.Contains(err.Error(), "give this host a fully qualified name the server finds in DNS") {
		t.Fatalf("err = %v (temporary %v), want the name given named, and what to do", err, mail.Temporary(err))
	}
}
