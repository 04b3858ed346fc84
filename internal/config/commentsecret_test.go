package config_test

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
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

// TestSecretFileCutByACommentSaysSo: a secret file setting written out of
// quotes with " #" in its path (token_file: /etc/syncd/hubspot #2) is cut
// short there by YAML, and the load failed with "no such file" of a path
// nobody wrote (/etc/syncd/hubspot). Of each secret file setting, a
// source's token_files entries too, the problem now says the path was cut
// by a comment and how to quote it; where the shorter path is a file, it
// is read, and warned of as data_dir is.
func TestSecretFileCutByACommentSaysSo(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "maps"), 0o755)
	write := func(t *testing.T, name, text string) string {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	write(t, "eaf #1", "eaf-token-0123456789\n")
	write(t, "eaf #2", "eaf-token-9876543210\n")
	write(t, "hubspot #2", "hubspot-token\n")
	write(t, "mail #2", "mail-password\n")
	write(t, "portal #2", "portal-password\n")
	yaml := "sources:\n  eaf:\n    kind: eaf\n    token_files:\n      - " + filepath.Join(dir, "eaf #1") + "\n      - " +
		filepath.Join(dir, "eaf #2") + "\n" +
		"  lb:\n    kind: lokalebasen\n    tokens: [lb-token-0123456789]\n    basic_auth:\n      username: portal\n" +
		"      password_file: " + filepath.Join(dir, "portal #2") + "\n" +
		"crm:\n  kind: hubspot\n  hubspot:\n    token_file: " + filepath.Join(dir, "hubspot #2") + "\n" +
		"mapping:\n  dir: " + filepath.Join(dir, "maps") + "\n" +
		"report:\n  mail:\n    host: smtp.example.com\n    username: reports\n    password_file: " + filepath.Join(dir, "mail #2") + "\n" +
		"    from: r@example.com\n    to: [a@example.com]\n"
	file := write(t, "syncd.yaml", yaml)
	_, err := config.Load(file, env(nil))
	var problems config.Problems
	if !errors.As(err, &problems) {
		t.Fatalf("a configuration whose secret files are cut short: %v, want its problems", err)
	}
	want := map[int]string{5: "sources.eaf.token_files entry 1: read secret", 6: "sources.eaf.token_files entry 2: read secret",
		12: "sources.lb.basic_auth.password_file: read secret", 16: "crm.hubspot.token_file: read secret",
		23: "report.mail.password_file: read secret"}
	for _, p := range problems {
		key, ok := want[p.Line]
		if !ok {
			t.Errorf("a problem at line %d: %s", p.Line, p.Msg)
			continue
		}
		for _, words := range []string{key, "no such file", "cut short", `" #"`, "put it in quotes"} {
			if !strings.Contains(p.Msg, words) {
				t.Errorf("line %d: %q does not say %q", p.Line, p.Msg, words)
			}
		}
		if !regexp.MustCompile(`put it in quotes \((\S+: |- )'` + regexp.QuoteMeta(strings.ReplaceAll(dir, "'", "''")) + `/\w+ #\d'\)$`).MatchString(p.Msg) {
			t.Errorf("line %d: %q does not say how to write the whole path in quotes", p.Line, p.Msg)
		}
		delete(want, p.Line)
	}
	if len(want) > 0 {
		t.Errorf("no problem at %v: %v", want, problems)
	}

	// The shorter path a file: read, and the setting warned of.
	write(t, "hubspot", "another-token\n")
	yaml = strings.Replace(yaml, "      - "+filepath.Join(dir, "eaf #2")+"\n", "", 1)
	yaml = strings.Replace(yaml, "      password_file: "+filepath.Join(dir, "portal #2")+"\n", "      password: p\n", 1)
	yaml = strings.Replace(yaml, "    password_file: "+filepath.Join(dir, "mail #2")+"\n", "    password: p\n", 1)
	write(t, "syncd.yaml", yaml)
	write(t, "eaf", "eaf-token-other0123\n") // a file beside the one meant
	cfg, err := config.Load(file, env(nil))
	if err != nil {
		t.Fatal(err)
	}
	want = map[int]string{5: "sources.eaf.token_files entry 1 " + filepath.Join(dir, "eaf"), 15: "crm.hubspot.token_file " + filepath.Join(dir, "hubspot")}
	for _, w := range cfg.Warnings {
		if !strings.Contains(w.Msg, "YAML comment") {
			continue
		}
		if key, ok := want[w.Line]; !ok || !strings.Contains(w.Msg, key) || !strings.Contains(w.Msg, "put it in quotes") {
			t.Errorf("a warning at line %d: %s", w.Line, w.Msg)
		}
		delete(want, w.Line)
	}
	if len(want) > 0 {
		t.Errorf("no warning at %v: %v", want, cfg.Warnings)
	}
}
