package config_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/config"
)

// TestValueStartingWithTagOrAnchorIsRefused: YAML reads a ! at the start
// of a value not in quotes as a tag and a & as an anchor, and leaves
// either out of the value, silently: a basic auth password !s3cret-pass
// was read as "" ("basic_auth needs both username and password", at the
// line above), one "!ab cd" as "cd", which a sender's right password
// did not match. Each is now one problem at its line and column, which
// does not show the value; a type written out (!!str), a value in quotes
// and an anchor an alias repeats are YAML as meant.
func TestValueStartingWithTagOrAnchorIsRefused(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "maps"), 0o755)
	load := func(t *testing.T, password, token string) (*config.Config, error) {
		t.Helper()
		yaml := "sources:\n  lb:\n    kind: lokalebasen\n    tokens:\n      - " + token + "\n" +
			"    basic_auth:\n      username: portal\n      password: " + password + "\n" +
			"mapping:\n  dir: " + filepath.Join(dir, "maps") + "\n" +
			"report:\n  keep_days: &days 60\nretention:\n  event_days: *days\n"
		file := filepath.Join(dir, "syncd.yaml")
		if err := os.WriteFile(file, []byte(yaml), 0o600); err != nil {
			t.Fatal(err)
		}
		return config.Load(file, env(nil))
	}
	const token = "lb-token-0123456789"
	for _, c := range []struct {
		name, password, token string
		line                  int
		words                 []string
	}{
		{"tag alone", "!s3cret-pass", token, 8, []string{"column 17", "YAML tag", "single quotes"}},
		{"tag and text", "!s3 cret-pass", token, 8, []string{"column 17", "YAML tag", "single quotes"}},
		{"bare !", "! s3cret-pass", token, 8, []string{"column 17", "YAML tag"}},
		{"anchor", "&s3 cret-pass", token, 8, []string{"column 17", "anchor", "single quotes"}},
		{"token item", "s3cret-pass", "!" + token, 5, []string{"column 9", "YAML tag"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := load(t, c.password, c.token)
			ps, ok := err.(config.Problems)
			if !ok || len(ps) != 1 {
				t.Fatalf("problems %v, want one", err)
			}
			if ps[0].Line != c.line {
				t.Errorf("at line %d, want %d", ps[0].Line, c.line)
			}
			for _, w := range c.words {
				if !strings.Contains(ps[0].Msg, w) {
					t.Errorf("%q does not say %q", ps[0].Msg, w)
				}
			}
			if strings.Contains(ps[0].Msg, "s3") || strings.Contains(ps[0].Msg, "0123") {
				t.Errorf("%q shows the value", ps[0].Msg)
			}
		})
	}
	for _, c := range []struct{ password, want string }{
		{"'!s3cret-pass'", "!s3cret-pass"},
		{"!!str 12345", "12345"},
		{"pass!word&", "pass!word&"},
	} {
		cfg, err := load(t, c.password, token)
		if err != nil {
			t.Errorf("password: %s: %v", c.password, err)
			continue
		}
		if got := cfg.Sources["lb"].BasicAuth.Password; got != c.want {
			t.Errorf("password: %s read as %q, want %q", c.password, got, c.want)
		}
		if cfg.Retention.EventDays != 60 {
			t.Errorf("retention.event_days: *days read as %d, want 60", cfg.Retention.EventDays)
		}
	}
}
