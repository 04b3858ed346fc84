package config_test

import (
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/config"
)

// TestMailInClearToAnotherHostIsWarned: tls: none is for a relay on this
// host. To another host it sent the workbooks, every lead's name, email
// and phone, unencrypted over the network without a word (a login too,
// by SCRAM, NTLM or CRAM-MD5 when the server offers one without TLS);
// validate and serve now warn, naming the host. starttls, or none to this host, are not warned.
func TestMailInClearToAnotherHostIsWarned(t *testing.T) {
	for mail, warned := range map[string]bool{
		"host: smtp.example.com\n    tls: none":                                   true,
		"host: 10.0.0.25\n    port: 25\n    tls: none":                            true,
		"host: smtp.example.com\n    tls: none\n    username: u\n    password: p": true,
		"host: smtp.example.com\n    tls: starttls":                               false,
		"host: 127.0.0.1\n    port: 25\n    tls: none":                            false,
		"host: localhost\n    port: 25\n    tls: none":                            false,
		"host: \"::1\"\n    port: 25\n    tls: none":                              false,
	} {
		raw := "sources:\n  lb:\n    kind: lokalebasen\n    tokens: [abcdefghijklmnopqrstuvwxyz]\nreport:\n  mail:\n" +
			"    " + mail + "\n    from: r@example.com\n    to: [m@example.com]\nmapping:\n  dir: ../../mappings/hubspot\n"
		cfg, err := config.Parse("c.yaml", []byte(raw), env(nil))
		if err != nil {
			t.Fatalf("%q: %v", mail, err)
		}
		var got []string
		for _, w := range cfg.Warnings {
			if strings.Contains(w.Msg, "unencrypted") {
				got = append(got, w.String())
			}
		}
		switch {
		case warned && (len(got) != 1 || !strings.HasPrefix(got[0], "c.yaml:") || !strings.Contains(got[0], "tls: starttls")):
			t.Errorf("%q: warnings %q, want one saying to use tls: starttls", mail, got)
		case !warned && len(got) != 0:
			t.Errorf("%q: warned %q", mail, got)
		}
	}
}

// TestOpportunisticMailIsWarned: tls: opportunistic uses STARTTLS only
// when the server offers it, and anyone on the network between can remove
// the offer from its answer: the workbooks, every lead's name, email and
// phone, then went in clear without a word. A login does not stop it:
// without TLS go-mail picks SCRAM, NTLM or CRAM-MD5 when the server offers
// one, which send no password in clear and succeed. validate and serve now
// warn, naming the host, as for tls: none; to a relay on this host they do
// not.
func TestOpportunisticMailIsWarned(t *testing.T) {
	for mail, warned := range map[string]bool{
		"host: smtp.example.com\n    tls: opportunistic":                                   true,
		"host: 10.0.0.25\n    port: 25\n    tls: opportunistic":                            true,
		"host: smtp.example.com\n    tls: opportunistic\n    username: u\n    password: p": true,
		"host: 127.0.0.1\n    port: 25\n    tls: opportunistic":                            false,
	} {
		raw := "sources:\n  lb:\n    kind: lokalebasen\n    tokens: [abcdefghijklmnopqrstuvwxyz]\nreport:\n  mail:\n" +
			"    " + mail + "\n    from: r@example.com\n    to: [m@example.com]\nmapping:\n  dir: ../../mappings/hubspot\n"
		cfg, err := config.Parse("c.yaml", []byte(raw), env(nil))
		if err != nil {
			t.Fatalf("%q: %v", mail, err)
		}
		var got []string
		for _, w := range cfg.Warnings {
			got = append(got, w.String())
		}
		switch {
		case warned && (len(got) != 1 || !strings.HasPrefix(got[0], "c.yaml:") || !strings.Contains(got[0], "unencrypted") ||
			!strings.Contains(got[0], "tls: starttls") || !strings.Contains(got[0], strings.Fields(mail)[1])):
			t.Errorf("%q: warnings %q, want one naming the host and saying to use tls: starttls", mail, got)
		case !warned && len(got) != 0:
			t.Errorf("%q: warned %q", mail, got)
		}
	}
}
