package config_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/config"
)

// TestValidateSaysAShellVariableIsNotTheServices: the install guide checks
// the configuration "the way the service will see it" (CREDENTIALS_DIRECTORY
// set, from a root shell). The quick start says to set SYNCD_EAF_TOKEN; an
// operator who exported it in that shell saw validate say ok, while the
// service, which has only its unit's environment, fell back on the example's
// placeholder (${SYNCD_EAF_TOKEN:-example-eaf-token-change-me}) and answered
// every delivery with the real token 401. validate now warns of each
// variable with a default that it took from the shell, and of SYNCD_LISTEN
// (the unit sets SYNCD_DATA_DIR alone), never showing the value; serve
// (Load), and validate run by systemd itself (INVOCATION_ID) or from a shell
// without the service's view, say nothing of it.
func TestValidateSaysAShellVariableIsNotTheServices(t *testing.T) {
	wd, _ := os.Getwd()
	t.Chdir(filepath.Join(wd, "..", ".."))
	const token = "eaf-Pq83nd72hs9c0x1z"
	vars := map[string]string{"SYNCD_EAF_TOKEN": token, "SYNCD_LISTEN": "127.0.0.1:9999", "CREDENTIALS_DIRECTORY": t.TempDir()}
	shellWarnings := func(load func(string, config.Env) (*config.Config, error), vars map[string]string) []string {
		t.Helper()
		cfg, err := load("configs/syncd.example.yaml", env(vars))
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, w := range cfg.Warnings {
			if strings.Contains(w.Msg, "shell") {
				out = append(out, w.String())
			}
		}
		return out
	}
	got := shellWarnings(config.Check, vars)
	if len(got) != 2 {
		t.Fatalf("validate in the service's view warned %d times of the shell's variables, want 2 (SYNCD_LISTEN, SYNCD_EAF_TOKEN): %q", len(got), got)
	}
	for i, want := range []string{
		"configs/syncd.example.yaml:16: SYNCD_LISTEN=127.0.0.1:9999 is set in this shell, not in the service's environment",
		"configs/syncd.example.yaml:39: SYNCD_EAF_TOKEN is set in this shell, not in the service's environment",
	} {
		if !strings.HasPrefix(got[i], want) || !strings.Contains(got[i], "systemctl edit") {
			t.Errorf("warning %d:\n%s\nwant it to start %q and say how the unit gets it (systemctl edit)", i, got[i], want)
		}
	}
	if !strings.Contains(got[1], "example-eaf-token-change-me") || strings.Contains(strings.Join(got, "\n"), token) {
		t.Errorf("the token's warning should name the default the service takes, never the value: %q", got[1])
	}
	// A secret goes to the service in a file (LoadCredential=), never in its
	// unit's Environment=, which systemd shows every local user (systemctl
	// show); the warning offered Environment=SYNCD_EAF_TOKEN first.
	if strings.Contains(got[1], "Environment=SYNCD_EAF_TOKEN") || !strings.Contains(got[1], "LoadCredential=") {
		t.Errorf("the token's warning should send it to a file and LoadCredential=, not Environment=: %q", got[1])
	}
	if !strings.Contains(got[0], "Environment=SYNCD_LISTEN=") {
		t.Errorf("the address's warning should say Environment=: %q", got[0])
	}
	if got := shellWarnings(config.Load, vars); len(got) != 0 {
		t.Errorf("serve warned of its own environment: %q", got)
	}
	underSystemd := map[string]string{"INVOCATION_ID": "0123abcd"}
	for k, v := range vars {
		underSystemd[k] = v
	}
	if got := shellWarnings(config.Check, underSystemd); len(got) != 0 {
		t.Errorf("validate run by systemd (INVOCATION_ID) warned of a shell: %q", got)
	}
	delete(vars, "CREDENTIALS_DIRECTORY")
	if got := shellWarnings(config.Check, vars); len(got) != 0 {
		t.Errorf("validate from a shell without the service's view warned: %q", got)
	}
}
