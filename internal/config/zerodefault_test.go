package config_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/config"
)

// TestZeroWrittenIsSaidToBeTheDefault: a 0 written for a number or
// duration whose default 0 stands for (http.read_timeout: 0s, Go's "no
// timeout"; sync.batch_size: 0) passed validate silently, and the daemon
// used the default. Now each is a warning at its line naming the default
// and what to write; sync.prompt_delay: 0s, which turns the prompt run
// off, is not.
func TestZeroWrittenIsSaidToBeTheDefault(t *testing.T) {
	maps, _ := filepath.Abs("../../mappings/hubspot")
	load := func(extra string) []config.Problem {
		raw := "sources:\n  lb:\n    kind: lokalebasen\n    tokens: [abcdefghijklmnopqrstuvwxyz]\nmapping:\n  dir: " + maps + "\n" + extra
		cfg, err := config.Parse("c.yaml", []byte(raw), env(nil))
		if err != nil {
			t.Fatalf("%s: %v", extra, err)
		}
		return cfg.Warnings
	}
	for extra, want := range map[string]string{
		"http:\n  read_timeout: 0s\n":                                        "c.yaml:8: http.read_timeout 0s is taken as the default, 30s",
		"sync:\n  batch_size: 0\n":                                           "c.yaml:8: sync.batch_size 0 is taken as the default, 100",
		"intake:\n  dedup_window: 0h\n":                                      "c.yaml:8: intake.dedup_window 0h is taken as the default, 336h",
		"crm:\n  kind: hubspot\n  hubspot:\n    token: t\n    requests: 0\n": "c.yaml:11: crm.hubspot.requests 0 is taken as the default, 100",
		"http:\n  max_connections: 0\n":                                      "c.yaml:8: http.max_connections 0 is taken as the default, 512",
		"sync:\n  probe_every: 0s\n":                                         "c.yaml:8: sync.probe_every 0s is taken as the default, 10m",
	} {
		w := fmt.Sprint(load(extra))
		if !strings.Contains(w, want) || !strings.Contains(w, "write the ") {
			t.Errorf("%s: warnings %s, want %q and what to write", extra, w, want)
		}
	}
	for _, extra := range []string{"sync:\n  prompt_delay: 0s\n", "sync:\n  batch_size: 50\n"} {
		if w := load(extra); len(w) != 0 {
			t.Errorf("%s: warnings %v", extra, w)
		}
	}
}

// TestAScheduleBelowASecondIsSaid: the cron library runs an @every
// schedule below a second every second; one of no time or less is refused
// (TestBadConfigs/every-zero.yaml), one between a warning.
func TestAScheduleBelowASecondIsSaid(t *testing.T) {
	maps, _ := filepath.Abs("../../mappings/hubspot")
	raw := "sources:\n  lb:\n    kind: lokalebasen\n    tokens: [abcdefghijklmnopqrstuvwxyz]\nmapping:\n  dir: " + maps +
		"\nsync:\n  schedule: \"@every 100ms\"\n"
	cfg, err := config.Parse("c.yaml", []byte(raw), env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if w := fmt.Sprint(cfg.Warnings); !strings.Contains(w, `c.yaml:8: sync.schedule "@every 100ms" runs every second`) {
		t.Errorf("warnings %s", w)
	}
}
