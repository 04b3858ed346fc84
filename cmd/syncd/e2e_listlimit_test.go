package main_test

import (
	"strings"
	"testing"
)

// TestListLimitBelowZeroIsRefused: events list -limit -1 (and outbox list
// -limit -1) listed every row, as -limit 0 does on purpose, saying nothing;
// a negative -limit is refused with exit 2, saying 0 is for all.
func TestListLimitBelowZeroIsRefused(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	dir := t.TempDir()
	config := writeConfig(t, dir)
	makeDB(t, dir)
	for _, args := range [][]string{
		{"events", "list", "-limit", "-1"},
		{"events", "list", "-quarantined", "-limit", "-5"},
		{"outbox", "list", "-limit", "-1"},
	} {
		out, stderr, code := syncdRun(t, append(args, "-config", config)...)
		if code != 2 || out != "" || !strings.Contains(stderr, "is not a count") || !strings.Contains(stderr, "0 for all") {
			t.Errorf("syncd %s: exit %d, want 2 and -limit refused\nstdout:\n%s\nstderr:\n%s",
				strings.Join(args, " "), code, out, stderr)
		}
	}
	if _, stderr, code := syncdRun(t, "events", "list", "-limit", "0", "-config", config); code != 0 {
		t.Errorf("events list -limit 0: exit %d, want 0\n%s", code, stderr)
	}
}
