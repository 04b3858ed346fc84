package main_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestARecordWhosePidIsAnotherProcessIsNoDaemon: a daemon killed (kill -9,
// a crash, the OOM killer) leaves its record, and the commands took the
// process its pid names for it while that pid was a process at all: once
// the system gave the pid to another program, replay and sync on another
// -config than the record's file were refused, exit 2, "the daemon (pid
// N) … runs on …", and the commands that only read noted it, of a daemon
// that no longer ran. The record now keeps when its process started, and
// a process of that pid that started otherwise is not the daemon. Here the
// pid of a sleep stands for the reused one.
func TestARecordWhosePidIsAnotherProcessIsNoDaemon(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	daemonFile := writeConfig(t, dir)
	other := filepath.Join(dir, "other.yaml") // the same data_dir, by another file
	if err := os.WriteFile(other, []byte(configYAML(dir, []string{e2eLBToken}, "")), 0o600); err != nil {
		t.Fatal(err)
	}
	d := start(t, daemonFile, "INVOCATION_ID=", "NOTIFY_SOCKET=")
	record := filepath.Join(dir, "data", "syncd-serving.json")
	waitFor(t, "the daemon's record", func() bool { _, err := os.Stat(record); return err == nil })
	// while it runs, the other file is refused: what follows must not be for want of a record
	if _, stderr, code := syncdRun(t, "replay", "-config", other); code != 2 || !strings.Contains(stderr, "refused: ") {
		t.Fatalf("replay on another file beside the daemon: exit %d, stderr:\n%s\nwant it refused", code, stderr)
	}
	d.stop(t, syscall.SIGKILL)

	sleep := exec.Command("sleep", "600") // the process the system gave the daemon's pid to
	if err := sleep.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { sleep.Process.Kill(); sleep.Wait() }()
	data, err := os.ReadFile(record)
	if err != nil {
		t.Fatalf("the killed daemon's record: %v", err)
	}
	var r map[string]any
	if err := json.Unmarshal(data, &r); err != nil {
		t.Fatal(err)
	}
	r["pid"] = sleep.Process.Pid
	if data, err = json.Marshal(r); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(record, data, 0o644); err != nil {
		t.Fatal(err)
	}

	for _, args := range [][]string{{"replay", "-dry-run"}, {"replay"}} {
		out, stderr, code := syncdRun(t, append(args, "-config", other)...)
		if code != 0 || strings.Contains(stderr, "refused: ") || strings.Contains(stderr, "note: ") ||
			strings.Contains(out+stderr, "the daemon (pid") {
			t.Errorf("syncd %s -config OTHER, the record's pid a sleep's: exit %d\n%s%s\nwant exit 0, no daemon said",
				strings.Join(args, " "), code, out, stderr)
		}
	}
}
