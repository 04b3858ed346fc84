package main_test

import (
	"strings"
	"syscall"
	"testing"
)

// TestStatusOfAPortChosenAtStartSaysSo: with listen at port 0 the system
// picks a port each time serve starts. Status said "no syncd answers at
// 127.0.0.1:0 (... dial tcp 127.0.0.1:0: connect: connection refused)" with
// no daemon, and of one found by its record that "a restart (systemctl
// restart syncd) moves it to the file's", which it does not: it moves it to
// another port the system picks. Status says what port 0 does and to give
// listen a fixed port, which a sender needs.
func TestStatusOfAPortChosenAtStartSaysSo(t *testing.T) {
	t.Parallel()
	config := writeConfig(t, t.TempDir()) // listen: 127.0.0.1:0
	d := start(t, config)
	out, stderr, _ := syncdRun(t, "status", "-config", config)
	addr := strings.TrimPrefix(d.url, "http://")
	if !strings.Contains(out, "daemon        found at "+addr+" (127.0.0.1:0, the file's listen, has the system choose a port") ||
		!strings.Contains(out, "give listen a fixed one") || strings.Contains(out, "moves it to the file's") {
		t.Errorf("status of a daemon at a port chosen at its start:\n%s%s", out, stderr)
	}
	d.stop(t, syscall.SIGTERM)
	out, stderr, code := syncdRun(t, "status", "-config", config)
	if code != 5 || !strings.Contains(out, "no syncd answers: listen 127.0.0.1:0 has the system choose a port as syncd starts") ||
		strings.Contains(out, "connection refused") {
		t.Errorf("status with no daemon: exit %d, want 5 and what port 0 does\n%s%s", code, out, stderr)
	}
}
