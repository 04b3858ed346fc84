package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestIPv6AddressesWrittenAsTheDocsWriteThem: an IPv6-only server's
// configuration with listen: [::1]:8080 (the form docs/configuring.md
// gives) or trusted_proxies: [::1] (a list as the docs write lists)
// failed validate with "did not find expected node content" alone: YAML
// reads the first as a [...] list with more after it, and cannot read an
// item beginning with "::" in a [...] list. docs/crm-sync.md's line for
// the stand-in CRM written for [::1], crm: {… {base_url:
// http://[::1]:8090, …}}, failed with "did not find expected ',' or '}'".
// validate names the address and says to quote it; quoted as it says,
// the file is valid.
func TestIPv6AddressesWrittenAsTheDocsWriteThem(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name, bad, fixed, words string
	}{
		{"listen", "listen: 127.0.0.1:0", "listen: [::1]:8080", `[::1]:8080 is an IPv6 address in brackets with its port, ` +
			`which YAML reads as a [...] list with more after it: put it in quotes, listen: "[::1]:8080"`},
		{"trusted_proxies", "data_dir:", "http:\n  trusted_proxies: [::1]\ndata_dir:", `::1 in a [...] list begins with "::", ` +
			`which YAML cannot read there without quotes: put it in quotes, ["::1"]`},
		{"crm base_url", "data_dir:", "crm: {kind: hubspot, hubspot: {base_url: http://[::1]:8090, token: anything}}\ndata_dir:",
			`http://[::1]:8090, an address with an IPv6 address in brackets, is not in quotes inside a {...} value, ` +
				`where YAML reads [ and ] as a list's: put it in quotes, base_url: "http://[::1]:8090"`},
		{"report.mail.host", "data_dir:", "report:\n  mail:\n    host: [::1]\n    from: syncd@example.com\n    to: [m@example.com]\ndata_dir:",
			`where host takes one address, not a list, write it without brackets, host: ::1`},
	} {
		dir := t.TempDir()
		file := filepath.Join(dir, "syncd.yaml")
		bad := strings.Replace(configYAML(dir, []string{e2eLBToken}, ""), c.bad, c.fixed, 1)
		if err := os.WriteFile(file, []byte(bad), 0o600); err != nil {
			t.Fatal(err)
		}
		out, stderr, code := syncdRun(t, "validate", "-offline", "-config", file)
		if code != 2 || !strings.Contains(stderr, "syncd.yaml:") || !strings.Contains(stderr, c.words) {
			t.Errorf("%s: exit %d, want 2 and %q:\n%s%s", c.name, code, c.words, out, stderr)
		}
		quoted := strings.Replace(bad, "[::1]:8080", `"[::1]:8080"`, 1)
		quoted = strings.Replace(quoted, "trusted_proxies: [::1]\n", "trusted_proxies: [\"::1\"]\n", 1)
		quoted = strings.Replace(quoted, "host: [::1]\n", "host: ::1\n", 1)
		quoted = strings.Replace(quoted, "base_url: http://[::1]:8090,", `base_url: "http://[::1]:8090",`, 1)
		if err := os.WriteFile(file, []byte(quoted), 0o600); err != nil {
			t.Fatal(err)
		}
		if out, stderr, code := syncdRun(t, "validate", "-offline", "-config", file); code != 0 {
			t.Errorf("%s quoted as validate says: exit %d, want 0:\n%s%s", c.name, code, out, stderr)
		}
	}
}
