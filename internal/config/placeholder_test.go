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
	if len(got) != 2 || !strings.Contains(got[0], "sources.lokalebasen.tokens entry 1") || !strings.Contains(got[1], "sources.eaf.tokens entry 1") ||
		!strings.Contains(got[1], "SYNCD_EAF_TOKEN") {
		t.Errorf("warnings %q, want one for each source's placeholder token", got)
	}
	if got := placeholders(map[string]string{"SYNCD_LOKALEBASEN_TOKEN": "lb-Xk29fj3kd9s0a1b2", "SYNCD_EAF_TOKEN": "eaf-Pq83nd72hs9c0x1z"}); len(got) != 0 {
		t.Errorf("tokens of one's own warned: %q", got)
	}
}

// TestExampleTokensAreRefusedWhereOtherHostsListen: the example's
// placeholder tokens were a warning wherever syncd listened, so a daemon
// whose listen was opened to the network (0.0.0.0:8080, for a balancer on
// another host) before its tokens were set started and stored anyone's
// leads, for the CRM, posted with a token the README prints. Where listen
// takes connections from other hosts they are now a problem (validate
// exits 2, serve does not start); on this host's loopback (the quick
// start) they stay a warning.
func TestExampleTokensAreRefusedWhereOtherHostsListen(t *testing.T) {
	wd, _ := os.Getwd()
	t.Chdir(filepath.Join(wd, "..", ".."))
	for _, listen := range []string{"0.0.0.0:8080", "[::]:8080", ":8080", "192.0.2.10:8080"} {
		_, err := config.Load("configs/syncd.example.yaml", env(map[string]string{"SYNCD_LISTEN": listen}))
		want := "configs/syncd.example.yaml:39: sources.eaf.tokens entry 1 is a placeholder (it says change-me) that anyone who " +
			"read the example knows, and SYNCD_LISTEN " + listen + " takes connections from other hosts"
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "SYNCD_EAF_TOKEN") {
			t.Errorf("listen %s with the example's tokens: %v\nwant a problem %q", listen, err, want)
		}
	}
	for _, listen := range []string{"127.0.0.1:8080", "[::1]:8080", "localhost:8080"} {
		if _, err := config.Load("configs/syncd.example.yaml", env(map[string]string{"SYNCD_LISTEN": listen})); err != nil {
			t.Errorf("listen %s (this host only) with the example's tokens refused: %v", listen, err)
		}
	}
	own := map[string]string{"SYNCD_LISTEN": "0.0.0.0:8080", "SYNCD_LOKALEBASEN_TOKEN": "lb-Xk29fj3kd9s0a1b2", "SYNCD_EAF_TOKEN": "eaf-Pq83nd72hs9c0x1z"}
	if _, err := config.Load("configs/syncd.example.yaml", env(own)); err != nil {
		t.Errorf("tokens of one's own on 0.0.0.0: %v", err)
	}
}
