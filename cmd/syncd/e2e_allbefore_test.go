package main_test

import (
	"strings"
	"testing"
)

// TestAllAndBeforeTogetherAreRefused: events dismiss -all -before T (and
// events done -all -before T) used -before and said nothing of -all; the
// operator meant one of them, so the pair is refused with exit 2, saying to
// give one.
func TestAllAndBeforeTogetherAreRefused(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	dir := t.TempDir()
	config := writeConfig(t, dir)
	makeDB(t, dir)
	for _, cmd := range []string{"dismiss", "done"} {
		for _, extra := range [][]string{nil, {"-dry-run"}} {
			args := append([]string{"events", cmd, "-config", config, "-all", "-before", "24h"}, extra...)
			out, stderr, code := syncdRun(t, args...)
			if code != 2 || out != "" || !strings.Contains(stderr, "give -all or -before T, not both") {
				t.Errorf("syncd events %s -all -before 24h %v: exit %d, want 2 and the pair refused\nstdout:\n%s\nstderr:\n%s",
					cmd, extra, code, out, stderr)
			}
		}
	}
}
