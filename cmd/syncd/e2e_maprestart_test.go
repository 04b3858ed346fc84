package main_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestStatusSaysARestartWouldNotStartOnMappingsThatDoNotLoad: an operator
// edited a mapping under the running daemon and moved a key out of its
// block. syncd status said the files would not load and "a reload would
// be rejected; fix them, then systemctl reload syncd", and nothing of a
// restart, which a newcomer tries next: serve refuses to start on them,
// and so does the daemon at the next boot or when systemd restarts it
// after a failure, taking no lead until they load. Status now says so.
func TestStatusSaysARestartWouldNotStartOnMappingsThatDoNotLoad(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	config, maps := editedMappings(t, dir)
	raw, _ := os.ReadFile(config)
	raw = []byte(strings.Replace(string(raw), "listen: 127.0.0.1:0", "listen: "+freeAddr(t), 1))
	if err := os.WriteFile(config, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	d := start(t, config)
	lb := filepath.Join(maps, "lokalebasen.yaml")
	data, _ := os.ReadFile(lb)
	moved := strings.Replace(string(data), "      company: payload.client.company", "    company: payload.client.company", 1)
	if moved == string(data) {
		t.Fatal("the shipped lokalebasen.yaml has no company: line to move")
	}
	os.WriteFile(lb, []byte(moved), 0o644)

	out, stderr, code := syncdRun(t, "status", "-config", config)
	if code != 5 {
		t.Fatalf("status of a mapping that does not load: exit %d, want 5\n%s%s", code, out, stderr)
	}
	mustContain(t, "status of a mapping that does not load", out,
		"would NOT LOAD as they are (maps/lokalebasen.yaml:",
		"a reload would be rejected, and a restart would not start the daemon (nor would the next boot, "+
			"or systemd restarting it after a failure): no lead would be taken until they load; fix them, then systemctl reload syncd")

	// What status says of a restart is what serve does.
	d.stop(t, syscall.SIGTERM)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	serve := exec.CommandContext(ctx, syncdBin, "serve", "-config", config)
	log, err := serve.CombinedOutput()
	if ctx.Err() != nil || err == nil {
		t.Fatalf("serve on the mapping that does not load: %v (started?)\n%s", err, log)
	}
	mustContain(t, "serve on the mapping that does not load", string(log), "maps/lokalebasen.yaml:")
}
