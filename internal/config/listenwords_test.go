package config_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/config"
)

// TestListenAddressProblemsAreSaidInSyncdsWords: listen: nowhere was told
// as "listen nowhere: address nowhere: missing port in address", Go's
// words repeating the address, and listen: ::1:8080 as "too many colons
// in address". Each is told by the key, at its line, with what is wrong
// in the operator's terms and what to write, as the example writes it.
func TestListenAddressProblemsAreSaidInSyncdsWords(t *testing.T) {
	for _, c := range []struct{ listen, metrics, want string }{
		{"nowhere", "", "c.yaml:1: listen nowhere has no port: write HOST:PORT, as 127.0.0.1:8080"},
		{"127.0.0.1:8080", "nowhere", "c.yaml:6: metrics.listen nowhere has no port: write HOST:PORT, as 127.0.0.1:9090"},
		{"127.0.0.1:", "", "c.yaml:1: listen 127.0.0.1: has no port after its colon: write HOST:PORT, as 127.0.0.1:8080"},
		{"::1:8080", "", `c.yaml:1: listen ::1:8080 is an IPv6 address without its brackets: write "[::1]:8080" (in quotes: YAML reads [...] as a list)`},
		{"a:b:c", "", `c.yaml:1: listen a:b:c has more than one colon: write HOST:PORT, as 127.0.0.1:8080 (an IPv6 address in brackets and quotes, as "[::1]:8080")`},
		{"[::1:8080", "", `c.yaml:1: listen [::1:8080 has a bracket that does not close: write HOST:PORT, as "[::1]:8080" for an IPv6 address (in quotes: YAML reads [...] as a list)`},
		{"127.0.0.1:eighty", "", "c.yaml:1: listen 127.0.0.1:eighty: port eighty is not a number: write HOST:PORT, as 127.0.0.1:8080"},
	} {
		raw := fmt.Sprintf("listen: %q\nsources:\n  lb: {kind: lokalebasen, tokens: [a-long-enough-token-0123456789]}\nmapping: {dir: ../../mappings/hubspot}\nmetrics:\n  listen: %q\n",
			c.listen, c.metrics)
		_, err := config.Parse("c.yaml", []byte(raw), env(nil))
		if err == nil || !strings.Contains(err.Error(), c.want+"\n") && !strings.HasSuffix(err.Error(), c.want) {
			t.Errorf("listen %q, metrics.listen %q: %v\nwant %q", c.listen, c.metrics, err, c.want)
		}
		if err != nil && strings.Contains(err.Error(), " address") && !strings.Contains(err.Error(), "IPv6 address") {
			t.Errorf("listen %q, metrics.listen %q: Go's words: %v", c.listen, c.metrics, err)
		}
	}
}
