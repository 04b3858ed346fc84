package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestStatusSaysToWriteAnIPv6ListenInQuotes: a daemon listening where
// SYNCD_LISTEN=[::1]:PORT says was found by its record, and status said
// "write listen: [::1]:PORT and drop SYNCD_LISTEN": the line written as
// told is no YAML syncd reads (a [...] list with more after it), and the
// daemon restarted on the file did not start. Status writes the address
// in quotes, listen: "[::1]:PORT", which loads.
func TestStatusSaysToWriteAnIPv6ListenInQuotes(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	config := filepath.Join(dir, "syncd.yaml")
	fileAddr, envAddr := freeAddr(t), freeAddr6(t)
	yaml := strings.Replace(configYAML(dir, []string{e2eLBToken}, ""), "listen: 127.0.0.1:0", "listen: "+fileAddr, 1)
	if err := os.WriteFile(config, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	d := start(t, config, "SYNCD_LISTEN="+envAddr)
	defer d.stop(t, syscall.SIGTERM)

	out, stderr, _ := syncdRun(t, "status", "-config", config)
	line := `listen: "` + envAddr + `"`
	if !strings.Contains(out, "daemon        found at "+envAddr) || !strings.Contains(out, "write "+line+" and drop SYNCD_LISTEN") {
		t.Fatalf("status of a daemon listening at SYNCD_LISTEN=%s: want it found there, and to write %s:\n%s%s", envAddr, line, out, stderr)
	}
	if err := os.WriteFile(config, []byte(strings.Replace(yaml, "listen: "+fileAddr, line, 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, stderr, code := syncdRun(t, "validate", "-offline", "-config", config); code != 0 {
		t.Errorf("the file with %s, as status said: exit %d, want 0:\n%s%s", line, code, out, stderr)
	}
}
