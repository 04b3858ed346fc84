package config_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/config"
)

// TestYAMLProblemsNeverEchoSecrets: the YAML parser quotes what it could
// not read (a value of the wrong type, the name of an alias), and on a
// secret's line that is the secret or its start: a generated password
// beginning with *, read by YAML as an alias, was printed by validate and
// logged by a reload whole but for its *; tokens written as one value
// instead of a list, their first seven characters. The problem keeps its
// line and what to do, without the value.
func TestYAMLProblemsNeverEchoSecrets(t *testing.T) {
	cases := []struct {
		name, yaml, secret, says string
	}{
		{"a password read as an alias",
			"report:\n  mail:\n    password: *hunter2-Xq9secret\n", "hunter2", "c.yaml:3: "},
		{"a CRM token read as an alias in a flow mapping",
			"crm: {kind: hubspot, hubspot: {token: *pat-na1-secret}}\n", "pat-na1", "c.yaml:1: "},
		{"tokens given as one value",
			"sources:\n  lb:\n    kind: lokalebasen\n    tokens: Secretive-token-0123456789\n", "Secreti", "c.yaml:4: sources.lb.tokens is a list"},
		{"a token from the environment given as one value",
			"sources:\n  lb:\n    kind: lokalebasen\n    tokens: ${LB_TOKEN}\n", "Envtoke", "c.yaml:4: sources.lb.tokens is a list"},
		{"a token of a list read as an alias",
			"sources:\n  lb:\n    kind: lokalebasen\n    tokens:\n      - *Aliased-token-0123456789\n", "Aliased", "c.yaml:5: "},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "c.yaml")
			if err := os.WriteFile(file, []byte(c.yaml), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := config.Load(file, env(map[string]string{"LB_TOKEN": "Envtoken-from-env-0123456789"}))
			if err == nil {
				t.Fatal("loaded")
			}
			msg := strings.ReplaceAll(err.Error(), file, "c.yaml")
			if strings.Contains(msg, c.secret) {
				t.Errorf("the problem echoes the secret: %s", msg)
			}
			if !strings.Contains(msg, c.says) {
				t.Errorf("problem %q, want it to say %q", msg, c.says)
			}
		})
	}
}

// TestSecretLineKeepsTheExampleOfWhatToWrite: on a secret's line, what
// the YAML parser quoted is left out of the problem; syncd's own example
// of what to write, in quotes too, was taken for it, and a password with
// ": " in it was told "put the whole value in quotes, (a secret, not
// shown), or the key". The example stays; the password is not shown.
func TestSecretLineKeepsTheExampleOfWhatToWrite(t *testing.T) {
	file := filepath.Join(t.TempDir(), "c.yaml")
	yaml := "report:\n  mail:\n    username: reports\n    password: Hunter2: the-rest\n"
	if err := os.WriteFile(file, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := config.Load(file, env(nil))
	if err == nil {
		t.Fatal("loaded")
	}
	msg := err.Error()
	if strings.Contains(msg, "Hunter2") || strings.Contains(msg, "the-rest") {
		t.Errorf("the problem echoes the password: %s", msg)
	}
	if !strings.Contains(msg, ":4: ") || !strings.Contains(msg, "put the whole value in quotes, 'like: this'") || strings.Contains(msg, "not shown") {
		t.Errorf("problem %q, want it at line 4 with its example, 'like: this'", msg)
	}
}
