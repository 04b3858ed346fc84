package main

// Internal tests. Besides testing what is here, this file links package
// main into the test binary, so that changing its sources invalidates go
// test's cache for the end-to-end tests, which run a binary built apart.

import (
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/config"
)

func TestParseSince(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	cases := map[string]time.Time{
		"":                     {},
		"2026-11-01":           time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC),
		"2026-11-01T08:00:00Z": time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC),
		"24h":                  now.Add(-24 * time.Hour),
	}
	for in, want := range cases {
		if got, err := parseSince(in, now); err != nil || !got.Equal(want) {
			t.Errorf("parseSince(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	if _, err := parseSince("yesterday", now); err == nil {
		t.Error("parseSince accepted \"yesterday\"")
	}
}

func TestRestartOnlyNamesWhatAReloadCannotChange(t *testing.T) {
	old := &config.Config{Listen: "127.0.0.1:8080", DataDir: "/a", Sources: map[string]config.Source{"lb": {Kind: "lokalebasen"}}}
	same := *old
	same.Sources = map[string]config.Source{"lb": {Kind: "lokalebasen", Tokens: []string{"rotated"}}}
	if got := restartOnly(old, &same); len(got) != 0 {
		t.Errorf("sources and tokens reload live, got %v", got)
	}
	moved := *old
	moved.Listen, moved.DataDir = "0.0.0.0:9090", "/b"
	moved.CRM.Kind = "hubspot"
	got := restartOnly(old, &moved)
	if len(got) != 3 || got[0] != "listen" || got[1] != "data_dir" || got[2] != "crm" {
		t.Errorf("restartOnly = %v, want [listen data_dir crm]", got)
	}
}
