package main_test

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestJournalKeepsEachLineAtItsPriority: under the unit, syncd's stdout is
// a stream systemd connects to journald, named in JOURNAL_STREAM
// (DEVICE:INODE). journald keeps each line at the priority a "<N>" before
// it says, else at the stream's, info: every JSON line of the daemon's, a
// rejected reload's error too, was kept at info, so `journalctl -u syncd
// -p warning` showed none and systemctl status none in colour. The test
// gives the real binary a socket as its stdout, as systemd does, with
// JOURNAL_STREAM naming it, and reads what journald would: "<6>" before
// serving, "<4>" before a setting that needs a restart, "<3>" before the
// reload rejected. Where stdout is not that stream (a command run from a
// unit's shell inherits the variable) the lines stay plain JSON.
func TestJournalKeepsEachLineAtItsPriority(t *testing.T) {
	t.Parallel()
	fds, err := syscall.Socketpair(syscall.AF_UNIX, syscall.SOCK_STREAM|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	journal, stdout := os.NewFile(uintptr(fds[0]), "journald"), os.NewFile(uintptr(fds[1]), "stdout")
	defer journal.Close()
	fi, err := stdout.Stat()
	if err != nil {
		t.Fatal(err)
	}
	st := fi.Sys().(*syscall.Stat_t)
	stream := fmt.Sprintf("JOURNAL_STREAM=%d:%d", st.Dev, st.Ino)

	dir := t.TempDir()
	config := writeConfig(t, dir)
	cmd := syncdCmd("serve", "-config", config)
	cmd.Env = append(os.Environ(), stream)
	cmd.Stdout, cmd.Stderr = stdout, os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	stdout.Close()
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	lines := make(chan string, 100)
	go func() {
		sc := bufio.NewScanner(journal)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	var seen []string
	await := func(message string) string {
		t.Helper()
		timeout := time.After(30 * time.Second)
		for {
			select {
			case l, ok := <-lines:
				if !ok {
					t.Fatalf("the daemon's stdout closed before %q:\n%s", message, strings.Join(seen, "\n"))
				}
				seen = append(seen, l)
				if strings.Contains(l, `"message":"`+message) {
					return l
				}
			case <-timeout:
				t.Fatalf("no %q line:\n%s", message, strings.Join(seen, "\n"))
			}
		}
	}
	if l := await("serving"); !strings.HasPrefix(l, "<6>{") {
		t.Errorf("serving (info) line as journald reads it: %s\nwant <6>{...", l)
	}

	good, _ := os.ReadFile(config)
	if err := os.WriteFile(config, append(good, "log:\n  level: debug\n"...), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd.Process.Signal(syscall.SIGHUP)
	if l := await("changed setting needs a restart"); !strings.HasPrefix(l, "<4>{") {
		t.Errorf("warning as journald reads it: %s\nwant <4>{...", l)
	}
	if err := os.WriteFile(config, append(good, "sources: [\n"...), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd.Process.Signal(syscall.SIGHUP)
	if l := await("reload rejected"); !strings.HasPrefix(l, "<3>{") {
		t.Errorf("error as journald reads it: %s\nwant <3>{...", l)
	}
	cmd.Process.Signal(syscall.SIGTERM)
	await("stopped")
	for _, l := range seen {
		if !strings.HasPrefix(l, "<") || !strings.Contains(l, ">{") {
			t.Errorf("a line without its priority: %s", l)
		}
	}

	// The variable inherited, stdout another file: plain JSON lines.
	other := start(t, writeConfig(t, filepath.Join(t.TempDir())), stream)
	other.stop(t, syscall.SIGTERM)
	for _, l := range strings.Split(strings.TrimSpace(other.log()), "\n") {
		if !strings.HasPrefix(l, "{") {
			t.Errorf("stdout not the journal's stream, yet a line not plain JSON: %s", l)
		}
	}
}
