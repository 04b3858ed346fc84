package config_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/config"
)

// TestExampleTokensAreWarned: the example configuration, which the Debian
// package installs as /etc/syncd/syncd.yaml, falls back on placeholder
// tokens (example-eaf-token-change-me) that anyone who read the README
// knows; a daemon started on it without SYNCD_EAF_TOKEN took anyone's
// leads, and nothing said so. Each token that says change-me is now a
// warning naming its source and line (validate prints it, serve logs it);
// a token of one's own, from the environment too, is not.
func TestExampleTokensAreWarned(t *testing.T) {
	wd, _ := os.Getwd()
	t.Chdir(filepath.Join(wd, "..", ".."))
	placeholders := func(vars map[string]string) []string {
		t.Helper()
		cfg, err := config.Load("configs/syncd.example.yaml", env(vars))
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, w := range cfg.Warnings {
			if strings.Contains(w.Msg, "placeholder") {
				out = append(out, w.String())
			}
		}
		return out
	}
	got := placeholders(nil)
	if len(got) != 2 || !strings.Contains(got[0], "source lokalebasen") || !strings.Contains(got[1], "source eaf") ||
		!strings.Contains(got[1], "SYNCD_EAF_TOKEN") {
		t.Errorf("warnings %q, want one for each source's placeholder token", got)
	}
	if got := placeholders(map[string]string{"SYNCD_LOKALEBASEN_TOKEN": "lb-Xk29fj3kd9s0a1b2", "SYNCD_EAF_TOKEN": "eaf-Pq83nd72hs9c0x1z"}); len(got) != 0 {
		t.Errorf("tokens of one's own warned: %q", got)
	}
}
