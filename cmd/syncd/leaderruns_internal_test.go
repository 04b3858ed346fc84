package main

import (
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/config"
)

// TestLeaderRunsSaysPromptDelayAndWindow: `syncd sync` beside a sync
// leader says it runs after sync.prompt_delay, and that a leader that has
// just taken the lead first waits one CRM rate window; a CRM without one
// (dry run) has no such clause.
func TestLeaderRunsSaysPromptDelayAndWindow(t *testing.T) {
	t.Parallel()
	cfg := &config.Config{}
	cfg.CRM.Kind, cfg.CRM.HubSpot.Window, cfg.Sync.PromptDelay = "hubspot", 10*time.Second, 5*time.Second
	got := leaderRuns(cfg)
	for _, want := range []string{"it runs in 5s (sync.prompt_delay)", "one CRM rate window (10s)"} {
		if !strings.Contains(got, want) {
			t.Errorf("leaderRuns = %q, want %q in it", got, want)
		}
	}
	cfg.CRM.Kind = "dryrun"
	if got := leaderRuns(cfg); strings.Contains(got, "window") {
		t.Errorf("dry run: leaderRuns = %q, want no rate window", got)
	}
}
