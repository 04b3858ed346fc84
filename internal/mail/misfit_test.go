package mail_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/mail"
	"github.com/syncd-dev/syncd/internal/mail/mailtest"
)

// TestSettingsTheServerDoesNotOfferAreSaidSo: a server that offers no
// STARTTLS while it is required, or no login while a username is set
// (see TestARelayOnAnotherHostSaysWhyItGetsNoLogin for a login syncd does
// not send unencrypted), failed as go-mail said it
// ("STARTTLS mode set to: "TLSMandatory"", "server does not support SMTP
// AUTH", "SMTP Auth autodiscover was not able to ..."), counted as
// temporary: the daemon tried five times over 15 minutes, and `syncd report
// -mail` said to run it again, which fails alike. Each is now for good and
// says which setting to change.
func TestSettingsTheServerDoesNotOfferAreSaidSo(t *testing.T) {
	for _, tc := range []struct {
		name   string
		tls    string
		user   string
		offers []string
		want   []string
	}{
		{"no STARTTLS", mail.TLSStartTLS, "", nil,
			[]string{"offers no STARTTLS", "tls: starttls", "port 465", "tls: tls", "tls: none"}},
		{"no login", mail.TLSNone, "reports", nil,
			[]string{"offers no login (SMTP AUTH), nor STARTTLS", "remove username and password_file"}},
		{"no login before STARTTLS", mail.TLSNone, "reports", []string{"STARTTLS"},
			[]string{"offers no login (SMTP AUTH) on this unencrypted connection", "it offers STARTTLS", "set tls: starttls"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := mailtest.StartRough(t, false)
			srv.Offer(tc.offers...)
			s, err := mail.New(mail.Options{Host: srv.Host, Port: srv.Port, TLS: tc.tls, Username: tc.user, Password: "pw",
				From: "syncd@example.com", To: []string{"a@example.com"}, Timeout: 10 * time.Second})
			if err != nil {
				t.Fatal(err)
			}
			err = s.Send(context.Background(), "12 leads", "12 leads.\n")
			if err == nil || mail.Temporary(err) || !mail.Misfit(err) {
				t.Fatalf("err = %v (temporary %v, misfit %v): want a setting to change, not retried", err, mail.Temporary(err), mail.Misfit(err))
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("err = %v\nwant it to say %q", err, w)
				}
			}
			if got := srv.Accepted(); len(got) != 0 {
				t.Fatalf("accepted %q", got)
			}
		})
	}
}

// TestTLSTheWrongWayRoundIsSaidSo: on a port validate cannot judge (not
// 25, 465 or 587), tls: tls to a server greeting in plain text failed with
// "tls: first record does not look like a TLS handshake", and STARTTLS to a
// server that takes TLS from the first byte waited for a greeting that
// never comes and failed with "i/o timeout": both counted temporary, tried
// five times, and neither said what to change. Each now names the setting.
func TestTLSTheWrongWayRoundIsSaidSo(t *testing.T) {
	t.Parallel()
	t.Run("tls to a plain greeting", func(t *testing.T) {
		srv := mailtest.StartRough(t, false)
		s, err := mail.New(mail.Options{Host: srv.Host, Port: srv.Port, TLS: mail.TLSImplicit,
			From: "syncd@example.com", To: []string{"a@example.com"}, Timeout: 10 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		err = s.Send(context.Background(), "12 leads", "12 leads.\n")
		if err == nil || mail.Temporary(err) || !mail.Misfit(err) || !strings.Contains(err.Error(), "greets in plain text") ||
			!strings.Contains(err.Error(), "tls: starttls") {
			t.Fatalf("err = %v (temporary %v, misfit %v): want tls: starttls named", err, mail.Temporary(err), mail.Misfit(err))
		}
	})
	t.Run("starttls to TLS from the first byte", func(t *testing.T) {
		srv := mailtest.StartImplicitTLS(t, "reports", "s3cret")
		s := sender(t, srv, "reports", "s3cret", func(o *mail.Options) { o.Timeout = 2 * time.Second })
		err := s.Send(context.Background(), "12 leads", "12 leads.\n")
		if err == nil || mail.Temporary(err) || !mail.Misfit(err) || !strings.Contains(err.Error(), "TLS from the first byte") ||
			!strings.Contains(err.Error(), "tls: tls") {
			t.Fatalf("err = %v (temporary %v, misfit %v): want tls: tls named", err, mail.Temporary(err), mail.Misfit(err))
		}
		if n := len(srv.Messages()); n != 0 {
			t.Fatalf("%d messages arrived", n)
		}
	})
	t.Run("tls from the first byte works", func(t *testing.T) {
		srv := mailtest.StartImplicitTLS(t, "reports", "s3cret")
		s := sender(t, srv, "reports", "s3cret", func(o *mail.Options) { o.TLS = mail.TLSImplicit })
		if err := s.Send(context.Background(), "12 leads", "12 leads.\n"); err != nil {
			t.Fatal(err)
		}
	})
}
