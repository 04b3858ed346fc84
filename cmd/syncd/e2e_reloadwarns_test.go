package main_test

import (
	"os"
	"strings"
	"syscall"
	"testing"
)

// TestReloadSaysTheFilesWarnings: what loading the configuration notices
// that does not stop the daemon (a token every local user can read, a
// password a comment cut short) was said by syncd validate and in the
// daemon's log, but syncd reload, which an operator runs after an edit,
// said "reloaded" alone. It now says each on stderr as validate does,
// exit 0: the files were taken.
func TestReloadSaysTheFilesWarnings(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	config, _ := editedMappingsListening(t, dir)
	d := start(t, config)
	defer d.stop(t, syscall.SIGTERM)

	out, stderr, code := syncdRun(t, "reload", "-config", config)
	if code != 0 || strings.Contains(stderr, "warning:") {
		t.Fatalf("reload of a file without warnings: exit %d\n%s%s", code, out, stderr)
	}
	if err := os.Chmod(config, 0o644); err != nil { // its tokens, written in it, readable by every local user
		t.Fatal(err)
	}
	out, stderr, code = syncdRun(t, "reload", "-config", config)
	if code != 0 || !strings.Contains(out, "reloaded: ") ||
		!strings.Contains(stderr, "warning: "+config+":") || !strings.Contains(stderr, "every local user can read (mode -rw-r--r--)") {
		t.Fatalf("reload of a file every local user can read: exit %d\n%s%s\nwant exit 0, reloaded, and the warning %q", code, out, stderr,
			"warning: "+config+":N: ... every local user can read")
	}
}
