package config_test

import (
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/config"
)

// TestProxyAddressProblemsAreSaidInSyncdsWords: a trusted proxy (or an
// allowed address) written as a listen address is, with its port
// (10.0.0.1:80) or in brackets ([::1]), was told in netip's words,
// "unexpected character (at \":80\")", "each colon-separated field must
// have at least one digit (at \"[::1]\")", and "10.0.0.0/abc" as "bad
// bits after slash". Each says what is wrong in the operator's terms and
// what to write.
func TestProxyAddressProblemsAreSaidInSyncdsWords(t *testing.T) {
	for p, want := range map[string]string{
		"10.0.0.1:80":  `c.yaml:2: http.trusted_proxies: "10.0.0.1:80" has a port, which is no part of an address here: write 10.0.0.1`,
		"[::1]:80":     `c.yaml:2: http.trusted_proxies: "[::1]:80" has a port, which is no part of an address here: write ::1`,
		"[::1]":        `c.yaml:2: http.trusted_proxies: "[::1]" is in brackets: write ::1`,
		"10.0.0.0/abc": `c.yaml:2: http.trusted_proxies: "10.0.0.0/abc" has no number of bits after its /: write a CIDR, as 192.0.2.0/24`,
		"10.0.0.0/":    `c.yaml:2: http.trusted_proxies: "10.0.0.0/" has no number of bits after its /: write a CIDR, as 192.0.2.0/24`,
		"10.0.0.0/8/9": `c.yaml:2: http.trusted_proxies: "10.0.0.0/8/9" is not an IP address or a CIDR (unexpected character (at "/8")): write`,
	} {
		raw := "http:\n  trusted_proxies: [\"" + p + "\"]\nsources:\n  lb:\n    kind: lokalebasen\n    tokens: [abcdefghijklmnopqrstuvwxyz]\nmapping: {dir: ../../mappings/hubspot}\n"
		_, err := config.Parse("c.yaml", []byte(raw), env(nil))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("trusted_proxies: [%q]:\ngot  %v\nwant %q", p, err, want)
		}
	}
}
