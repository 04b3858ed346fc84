package config_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/config"
)

// TestRetentionForEverIsWarned: retention.event_days: 0 (or
// quarantine_days, outbox_days) keeps personal data for ever, and syncd
// validate said nothing of it: only syncd purge, after the fact, said
// "kept for ever". Each is now a warning at its line naming what is kept
// and what to write; link_days 0, the default, is none.
func TestRetentionForEverIsWarned(t *testing.T) {
	maps, _ := filepath.Abs("../../mappings/hubspot")
	load := func(retention string) []config.Problem {
		raw := "sources:\n  lb:\n    kind: lokalebasen\n    tokens: [abcdefghijklmnopqrstuvwxyz]\nmapping:\n  dir: " + maps +
			"\nretention:\n" + retention
		cfg, err := config.Parse("c.yaml", []byte(raw), env(nil))
		if err != nil {
			t.Fatalf("%s: %v", retention, err)
		}
		return cfg.Warnings
	}
	w := fmt.Sprint(load("  event_days: 0\n  quarantine_days: 30\n  outbox_days: 0\n  link_days: 0\n"))
	for _, want := range []string{
		"c.yaml:8: retention event_days 0 keeps the enquiries' bodies (names, emails, phones, messages) for ever",
		"c.yaml:10: retention outbox_days 0 keeps the finished CRM operations",
		"write the days to keep them (90 is the default)",
	} {
		if !strings.Contains(w, want) {
			t.Errorf("warnings %s\nwant %q", w, want)
		}
	}
	if strings.Contains(w, "quarantine_days") || strings.Contains(w, "link_days") {
		t.Errorf("warnings %s: quarantine_days 30 and link_days 0 are no warning", w)
	}
	if w := load("  event_days: 30\n"); len(w) != 0 {
		t.Errorf("event_days 30, the others by default: warnings %v", w)
	}
}
