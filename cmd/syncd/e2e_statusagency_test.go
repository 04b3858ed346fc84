package main_test

import (
	"strings"
	"syscall"
	"testing"
)

// TestStatusNamesTheAgency: on a server of three agencies (syncd@a, b
// and c), syncd status for one agency's file gave a page like the
// others', the agency nowhere. With agency: set, the line under its
// heading names it, the daemon running or not; without it there is no
// such line.
func TestStatusNamesTheAgency(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	config := writeConfigWith(t, dir, "agency: \"Nordhavn Erhverv & Co\"\n")
	d := start(t, config)
	listenOn(t, config, strings.TrimPrefix(d.url, "http://"))
	second := func(out string) string {
		lines := strings.Split(out, "\n")
		if len(lines) < 2 {
			return ""
		}
		return lines[1]
	}
	out, stderr, code := syncdRun(t, "status", "-config", config)
	if second(out) != "agency        Nordhavn Erhverv & Co" || !strings.Contains(out, "running since") {
		t.Errorf("status of a running daemon: exit %d, want the agency under the heading\n%s%s", code, out, stderr)
	}
	d.stop(t, syscall.SIGTERM)
	out, stderr, code = syncdRun(t, "status", "-config", config)
	if second(out) != "agency        Nordhavn Erhverv & Co" || !strings.Contains(out, "outbox") {
		t.Errorf("status without the daemon: exit %d, want the agency under the heading\n%s%s", code, out, stderr)
	}
	plain := writeConfig(t, t.TempDir())
	if out, _, _ := syncdRun(t, "status", "-config", plain); strings.Contains(out, "agency") {
		t.Errorf("status of a file naming no agency names one:\n%s", out)
	}
}
