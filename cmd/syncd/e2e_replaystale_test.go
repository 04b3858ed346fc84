package main_test

import (
	"strings"
	"testing"
)

// TestReplayBesideADaemonOnOldMappingsSaysToReload: an operator fixes a
// mapping on disk and runs syncd replay, which maps the stored leads with
// the files on disk. The daemon, not reloaded, goes on mapping every new
// lead with the files it loaded: replay said nothing of it. It warns, naming
// the file changed and the reload, and says nothing once the daemon runs
// on the files on disk.
func TestReplayBesideADaemonOnOldMappingsSaysToReload(t *testing.T) {
	t.Parallel()
	_, config, maps := mappingCopySetUp(t)
	start(t, config)

	replay := func() string {
		t.Helper()
		out, stderr, code := syncdRun(t, "replay", "-config", config)
		if code != 0 {
			t.Fatalf("replay: exit %d\n%s%s", code, out, stderr)
		}
		return stderr
	}
	if stderr := replay(); strings.Contains(stderr, "reload") {
		t.Fatalf("replay beside a daemon on the files on disk warned:\n%s", stderr)
	}

	fixEAFDescription(t, maps)
	stderr := replay()
	for _, want := range []string{"eaf.yaml", "systemctl reload syncd", "syncd reload -config " + sq(config)} {
		if !strings.Contains(stderr, want) {
			t.Errorf("replay with the daemon on the old mapping: stderr lacks %q:\n%s", want, stderr)
		}
	}

	if out, stderr, code := syncdRun(t, "reload", "-config", config); code != 0 {
		t.Fatalf("reload: exit %d\n%s%s", code, out, stderr)
	}
	if stderr := replay(); strings.Contains(stderr, "reload") {
		t.Errorf("replay after the reload still warned:\n%s", stderr)
	}
}
