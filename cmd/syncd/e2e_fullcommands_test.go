package main_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestCommandsOnAFullDiskBesideTheDaemonSayWhere: the disk holding the
// database full while the daemon serves it, the commands an operator runs
// then (syncd purge to make room, an erasure that cannot wait, syncd sync)
// said SQLite's bare "database or disk is full" and exited 1, failed:
// only a command opening the database with no daemon beside it (the -shm
// to make) said where room was needed, exit 4, as Reliability promises of
// every command. Each now says the disk and what to do, exit 4 (try
// again).
func TestCommandsOnAFullDiskBesideTheDaemonSayWhere(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("nsenter"); err != nil {
		t.Skip("needs nsenter to run commands beside the daemon on its tmpfs:", err)
	}
	dir := t.TempDir()
	config := writeConfig(t, dir)
	data := filepath.Join(dir, "data")
	d := startOnTmpfs(t, config, seedDir(t, dir), data, 4<<20, false)
	url := "http://" + d.await(t, "serving")["listen"].(string)
	body, err := os.ReadFile("../../testdata/webhooks/eaf/email_lead.json")
	if err != nil {
		t.Fatal(err)
	}
	if a, err := post(url+"/hooks/eaf/"+e2eEAFToken, body); err != nil || a.Code != 200 {
		t.Fatalf("delivery: %+v %v", a, err)
	}
	d.fill(t)
	for _, args := range [][]string{
		{"purge"},
		{"erase", "-email", "support@estateagentfeeds.com"},
		{"sync"},
	} {
		// In the daemon's user and mount namespace, where the tmpfs is.
		cmd := exec.Command("nsenter", append([]string{"-t", fmt.Sprint(d.cmd.Process.Pid), "-U", "-m", "--",
			syncdBin}, append(args, "-config", config)...)...)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr, cmd.Stdin = &stdout, &stderr, strings.NewReader("")
		err := cmd.Run()
		code := 0
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			code = exit.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		if code != 4 || !strings.Contains(stderr.String(), "no room left for the database in "+data) ||
			!strings.Contains(stderr.String(), "df -h "+sq(data)) {
			t.Errorf("syncd %s beside the daemon on a full disk: exit %d, want 4 saying where room is needed:\n%s%s",
				strings.Join(args, " "), code, stdout.String(), stderr.String())
		}
	}
	d.free(t)
	d.cmd.Process.Signal(syscall.SIGTERM)
	if err := <-d.done; err != nil {
		t.Fatalf("syncd stopped with %v:\n%s", err, d.log())
	}
}
