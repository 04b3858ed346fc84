package config_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/config"
)

// TestPasswordCutByACommentIsWarned: YAML ends a value not in quotes at
// " #", so a basic auth or mail password "abc #def" written out of quotes
// was read as "abc", silently: the sender's right password was answered
// 401. A password so written is now a warning at its line, which says to
// quote it, or to move a comment above; one in quotes, one with # and no
// blank before it, and a ${NAME} with a comment after it are not.
func TestPasswordCutByACommentIsWarned(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "maps"), 0o755)
	load := func(t *testing.T, password, mail string) *config.Config {
		t.Helper()
		yaml := "sources:\n  lb:\n    kind: lokalebasen\n    tokens: [lb-token-0123456789] # the portal's\n" +
			"    basic_auth:\n      username: portal\n      password: " + password + "\n" +
			"mapping:\n  dir: " + filepath.Join(dir, "maps") + "\n" +
			"report:\n  mail:\n    host: smtp.example.com\n    username: reports\n    password: " + mail + "\n" +
			"    from: r@example.com\n    to: [a@example.com]\n"
		file := filepath.Join(dir, "syncd.yaml")
		if err := os.WriteFile(file, []byte(yaml), 0o600); err != nil {
			t.Fatal(err)
		}
		cfg, err := config.Load(file, env(map[string]string{"MAIL_PW": "from the environment"}))
		if err != nil {
			t.Fatal(err)
		}
		return cfg
	}
	cfg := load(t, "s3cret #pass", "mail-s3cret  # rotated in May")
	if got := cfg.Sources["lb"].BasicAuth.Password; got != "s3cret" {
		t.Fatalf("password read as %q: the YAML this test is of reads it as s3cret", got)
	}
	want := map[int]string{7: "sources.lb.basic_auth.password", 14: "report.mail.password"}
	for _, w := range cfg.Warnings {
		if !strings.Contains(w.Msg, "YAML comment") {
			continue
		}
		key, ok := want[w.Line]
		if !ok {
			t.Errorf("a warning at line %d: %s", w.Line, w.Msg)
			continue
		}
		for _, words := range []string{key, `" #"`, "single quotes", "line above"} {
			if !strings.Contains(w.Msg, words) {
				t.Errorf("line %d: %q does not say %q", w.Line, w.Msg, words)
			}
		}
		if strings.Contains(w.Msg, "s3cret") || strings.Contains(w.Msg, "rotated") {
			t.Errorf("line %d: %q shows the line's text", w.Line, w.Msg)
		}
		delete(want, w.Line)
	}
	if len(want) > 0 {
		t.Errorf("no warning at %v: %v", want, cfg.Warnings)
	}

	cfg = load(t, "'s3cret #pass'", "${MAIL_PW} # from the unit")
	if got := cfg.Sources["lb"].BasicAuth.Password; got != "s3cret #pass" {
		t.Errorf("password in quotes read as %q", got)
	}
	for _, w := range cfg.Warnings {
		if strings.Contains(w.Msg, "comment") {
			t.Errorf("a warning of a password in quotes or from ${NAME}: %s", w)
		}
	}
}
