package config_test

import (
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/config"
)

// TestAnIPv6ListenFixPastesIntoTheFile: listen: ::1:8080 was told "write
// [::1]:8080", and the line written as told, listen: [::1]:8080, is no
// YAML a syncd reads (a [...] list with more after it): the fix made the
// file fail to load. What validate says to write, pasted after the key,
// now loads, for listen and metrics.listen.
func TestAnIPv6ListenFixPastesIntoTheFile(t *testing.T) {
	t.Parallel()
	const rest = "sources:\n  lb: {kind: lokalebasen, tokens: [a-long-enough-token-0123456789]}\nmapping: {dir: ../../mappings/hubspot}\n"
	for _, c := range []struct{ key, value string }{
		{"listen", "::1:8080"},
		{"listen", "2001:db8::5:8080"},
		{"metrics:\n  listen", "::1:9090"},
	} {
		doc := func(v string) []byte {
			return []byte(c.key + ": " + v + "\n" + rest)
		}
		_, err := config.Parse("c.yaml", doc(c.value), env(nil))
		said := ""
		if err != nil {
			said = err.Error()
		}
		_, fix, ok := strings.Cut(said, "without its brackets: write ")
		if !ok {
			t.Fatalf("%s: %s: %v, want what to write", c.key, c.value, err)
		}
		fix, _, _ = strings.Cut(fix, " (")
		if _, err := config.Parse("c.yaml", doc(fix), env(nil)); err != nil {
			t.Errorf("%s: %s: written as told, %s: %v", c.key, c.value, fix, err)
		}
	}
}
