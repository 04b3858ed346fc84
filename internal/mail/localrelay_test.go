package mail_test

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/mail"
	"github.com/syncd-dev/syncd/internal/mail/mailtest"
)

// relaySender is a Sender to srv as report.mail sets one: no auth:, the
// login discovered, to host (srv's address, or a name for it).
func relaySender(t *testing.T, host string, srv *mailtest.Server, tlsMode, user, pass string) *mail.Sender {
	t.Helper()
	s, err := mail.New(mail.Options{Host: host, Port: srv.Port, TLS: tlsMode, Username: user, Password: pass,
		From: "syncd@example.com", To: []string{"manager@example.com"}, Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestARelayOnThisHostGetsTheLoginWithoutTLS: a local Postfix or relay on
// 127.0.0.1 offering SMTP AUTH as PLAIN or LOGIN and no STARTTLS, with
// tls: none or opportunistic and a username, got no login: go-mail's
// discovery leaves PLAIN and LOGIN out without TLS, and syncd said to set
// tls: starttls, which the relay does not offer. The connection never
// leaves the host, so syncd logs in, and the mail arrives as the login's.
func TestARelayOnThisHostGetsTheLoginWithoutTLS(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		host, tls string
		mechs     []string
	}{
		{"127.0.0.1", mail.TLSNone, []string{"PLAIN"}},
		{"127.0.0.1", mail.TLSNone, []string{"LOGIN"}},
		{"127.0.0.1", mail.TLSOpportunistic, []string{"PLAIN", "LOGIN"}},
		{"localhost", mail.TLSNone, []string{"LOGIN", "PLAIN"}},
		{"127.0.0.1", mail.TLSNone, []string{"CRAM-MD5", "PLAIN"}},
	} {
		name := c.host + " " + c.tls + " " + strings.Join(c.mechs, " ")
		srv := mailtest.StartRelay(t, "127.0.0.1", "reports", "s3cret", c.mechs...)
		err := relaySender(t, c.host, srv, c.tls, "reports", "s3cret").Send(context.Background(), "12 leads", "12 leads.\n")
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if msgs := srv.Messages(); len(msgs) != 1 || msgs[0].User != "reports" {
			t.Errorf("%s: %d messages (%+v), want 1 sent with the login", name, len(msgs), msgs)
		}
	}
	// go-mail joined an IPv6 address to its port with a colon alone:
	// "address ::1:25: too many colons in address", the relay never reached
	// and the mail tried again for ever.
	t.Run("::1", func(t *testing.T) {
		if l, err := net.Listen("tcp", "[::1]:0"); err != nil {
			t.Skipf("no IPv6 loopback here: %v", err)
		} else {
			l.Close()
		}
		srv := mailtest.StartRelay(t, "::1", "reports", "s3cret", "PLAIN")
		if err := relaySender(t, "::1", srv, mail.TLSNone, "reports", "s3cret").Send(context.Background(), "12 leads", "12 leads.\n"); err != nil {
			t.Fatal(err)
		}
		if msgs := srv.Messages(); len(msgs) != 1 || msgs[0].User != "reports" {
			t.Fatalf("%d messages, want 1 sent with the login", len(msgs))
		}
	})
	t.Run("wrong password", func(t *testing.T) {
		srv := mailtest.StartRelay(t, "127.0.0.1", "reports", "s3cret", "PLAIN", "LOGIN")
		err := relaySender(t, "127.0.0.1", srv, mail.TLSNone, "reports", "wrong").Send(context.Background(), "12 leads", "12 leads.\n")
		if err == nil || mail.Temporary(err) || !strings.Contains(err.Error(), "the server refused the login (535") ||
			!strings.Contains(err.Error(), "check username and the password") || strings.Contains(err.Error(), "wrong") {
			t.Fatalf("err = %v (temporary %v): want the login refused, for good, without the password", err, mail.Temporary(err))
		}
	})
}

// TestARelayOnAnotherHostSaysWhyItGetsNoLogin: a relay on the LAN offering
// a login only as PLAIN or LOGIN and no STARTTLS was told "tls: starttls
// (port 587) or tls: tls (port 465)", as if STARTTLS were there to be
// used; one offering only XOAUTH2 "none of which syncd speaks here"; one
// offering no login at all, with tls: none, that "most offer it only after
// STARTTLS". Each now says what the relay offers and the real choices: the
// relay to offer STARTTLS, a relay on this host, no username. CRAM-MD5,
// which sends no password, logs in there.
func TestARelayOnAnotherHostSaysWhyItGetsNoLogin(t *testing.T) {
	t.Parallel()
	lan := mailtest.LANAddress(t)
	for _, c := range []struct {
		name, tls string
		user      string // the relay's: "" takes mail without a login
		mechs     []string
		want      []string
		not       []string
	}{
		{"PLAIN alone, tls: none", mail.TLSNone, "reports", []string{"PLAIN"},
			[]string{"offers login only as PLAIN, and no STARTTLS", "readable across the network",
				"have the relay offer STARTTLS and set tls: starttls", "a relay on this host", "remove username and password_file"},
			[]string{"tls: tls", "port 465"}},
		{"PLAIN LOGIN, tls: opportunistic", mail.TLSOpportunistic, "reports", []string{"PLAIN", "LOGIN"},
			[]string{"offers login only as PLAIN LOGIN, and no STARTTLS", "have the relay offer STARTTLS", "a relay on this host"},
			[]string{"tls: tls", "port 465"}},
		{"XOAUTH2 alone", mail.TLSNone, "reports", []string{"XOAUTH2"},
			[]string{"offers login only as XOAUTH2, which syncd does not speak", "OAuth token", "remove username and password_file"},
			[]string{"here"}},
		{"no login, no STARTTLS", mail.TLSNone, "", nil,
			[]string{"offers no login (SMTP AUTH), nor STARTTLS", "remove username and password_file"},
			[]string{"only after STARTTLS"}},
	} {
		srv := mailtest.StartRelay(t, lan, c.user, "s3cret", c.mechs...)
		err := relaySender(t, lan, srv, c.tls, "reports", "s3cret").Send(context.Background(), "12 leads", "12 leads.\n")
		if err == nil || mail.Temporary(err) || !mail.Misfit(err) {
			t.Errorf("%s: err = %v (temporary %v, misfit %v): want a setting to change, not retried", c.name, err, mail.Temporary(err), mail.Misfit(err))
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: err = %v\nwant it to say %q", c.name, err, w)
			}
		}
		for _, w := range c.not {
			if strings.Contains(err.Error(), w) {
				t.Errorf("%s: err = %v\nsays %q", c.name, err, w)
			}
		}
		if n := len(srv.Messages()); n != 0 {
			t.Errorf("%s: %d messages arrived", c.name, n)
		}
	}
	t.Run("PLAIN before STARTTLS, tls: none", func(t *testing.T) {
		srv := mailtest.StartRelaySTARTTLS(t, lan, "reports", "s3cret", "PLAIN")
		err := relaySender(t, lan, srv, mail.TLSNone, "reports", "s3cret").Send(context.Background(), "12 leads", "12 leads.\n")
		if !mail.Misfit(err) || !strings.Contains(err.Error(), "offers login only as PLAIN on this unencrypted connection") ||
			!strings.Contains(err.Error(), "the server offers STARTTLS: set tls: starttls") || strings.Contains(err.Error(), "have the relay offer") {
			t.Fatalf("err = %v (misfit %v): want tls: starttls, which the server offers", err, mail.Misfit(err))
		}
	})
	t.Run("CRAM-MD5", func(t *testing.T) {
		srv := mailtest.StartRelay(t, lan, "reports", "s3cret", "CRAM-MD5", "PLAIN")
		if err := relaySender(t, lan, srv, mail.TLSNone, "reports", "s3cret").Send(context.Background(), "12 leads", "12 leads.\n"); err != nil {
			t.Fatal(err)
		}
		if msgs := srv.Messages(); len(msgs) != 1 || msgs[0].User != "reports" {
			t.Fatalf("%d messages, want 1 sent with the login", len(msgs))
		}
	})
}
