package main_test

import (
	"strings"
	"syscall"
	"testing"
)

// TestReloadRefusesAWaitTooShortToHearTheAnswer: syncd reload -wait 0s
// (or -5s, or 1ms) signalled the daemon, which took the files, then said
// "the daemon did not say within -5 seconds whether it took the files",
// exit 1: a failure to systemctl reload, of a reload that went through.
// A wait under a second is refused, exit 2, nothing signalled.
func TestReloadRefusesAWaitTooShortToHearTheAnswer(t *testing.T) {
	t.Parallel()
	config, d := startListening(t, t.TempDir(), "")
	defer d.stop(t, syscall.SIGTERM)
	for _, wait := range []string{"0s", "-5s", "1ms", "0"} {
		out, stderr, code := syncdRun(t, "reload", "-wait", wait, "-config", config)
		if code != 2 || !strings.Contains(stderr, "is too short to hear the daemon's answer") || !strings.Contains(stderr, "nothing signalled") {
			t.Errorf("reload -wait %s: exit %d, want 2, refused before signalling\n%s%s", wait, code, out, stderr)
		}
	}
	out, stderr, code := syncdRun(t, "reload", "-config", config)
	if code != 0 || !strings.Contains(out, "reloaded: the daemon") {
		t.Fatalf("reload: exit %d, want 0\n%s%s", code, out, stderr)
	}
	if n := strings.Count(d.log(), `"reloaded"`); n != 1 {
		t.Errorf("the daemon reloaded %d times, want once (the last reload alone):\n%s", n, d.log())
	}
}
