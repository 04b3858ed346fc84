package mail_test

import (
	"context"
	"crypto/tls"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/mail"
	"github.com/syncd-dev/syncd/internal/mail/mailtest"
)

// TestUntrustedCertificateIsASetting: a server whose certificate is not
// trusted (self-signed, a private CA's) or is for another name than host
// failed with "x509: certificate signed by unknown authority" or "x509:
// certificate is valid for localhost, not ...", counted temporary: the
// daemon tried five times over 15 minutes, each failing alike. Each is now
// tried once and says which setting to change: ca_file, or host.
func TestUntrustedCertificateIsASetting(t *testing.T) {
	t.Parallel()
	srv := mailtest.Start(t, "reports", "s3cret")
	for _, tc := range []struct {
		name string
		tls  func() *tls.Config
		want []string
	}{
		{"self-signed", func() *tls.Config { return nil },
			[]string{"certificate", "not trusted", "ca_file"}},
		{"another name", func() *tls.Config {
			return &tls.Config{RootCAs: srv.RootCAs, ServerName: "mail.example.net", MinVersion: tls.VersionTLS12}
		}, []string{"certificate", "localhost", "mail.example.net", "host:"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := sender(t, srv, "reports", "s3cret", func(o *mail.Options) { o.TLSConfig = tc.tls(); o.Timeout = 10 * time.Second })
			err := s.Send(context.Background(), "12 leads", "12 leads.\n")
			if err == nil || mail.Temporary(err) || !mail.Misfit(err) {
				t.Fatalf("err = %v (temporary %v, misfit %v): want a setting to change, not retried", err, mail.Temporary(err), mail.Misfit(err))
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("err = %v\nwant it to say %q", err, w)
				}
			}
		})
	}
	if n := len(srv.Messages()); n != 0 {
		t.Fatalf("%d messages arrived", n)
	}
}
