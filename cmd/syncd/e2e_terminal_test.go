//go:build linux

package main_test

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"
)

// TestSenderTextCannotDriveTheTerminal: what a sender wrote reaches the
// operator's terminal with its control characters shown as escapes, never
// acted on: an event type with escape sequences in events list, and a
// quarantined body of raw escape sequences in events show -quarantined
// (they erased lines and retitled the terminal). Saved to a file, the
// quarantined body stays byte for byte, for repair.
func TestSenderTextCannotDriveTheTerminal(t *testing.T) {
	t.Parallel()
	config := writeConfig(t, t.TempDir())
	d := start(t, config)
	hostile := []byte("{\"eaf_type\":\"email_lead\", \x1b[2K\x1b[1A\x1b[2Kfake\x1b]0;pwned\x07 \xf8}")
	if a, err := post(d.url+"/hooks/eaf/"+e2eEAFToken, hostile); err != nil || a.Status != "quarantined" {
		t.Fatalf("hostile body: %+v %v", a, err)
	}
	typed := []byte(`{"eaf_type":"\u001b[2J\u001b[31mred\u009b0m","eaf_id":"t1"}`)
	if a, err := post(d.url+"/hooks/eaf/"+e2eEAFToken, typed); err != nil || a.Status != "accepted" {
		t.Fatalf("hostile type: %+v %v", a, err)
	}
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}

	list := onTerminal(t, "events", "list", "-config", config)
	show := onTerminal(t, "events", "show", "-quarantined", "-config", config, "1")
	for name, out := range map[string]string{"events list": list, "events show -quarantined": show} {
		if strings.ContainsAny(out, "\x1b\x07\u009b") {
			t.Errorf("%s: a control character reached the terminal: %q", name, out)
		}
	}
	if !strings.Contains(list, `\x1b[2J\x1b[31mred\u009b0m`) {
		t.Errorf("events list does not show the type escaped: %q", list)
	}
	if !strings.Contains(show, `\x1b[2K\x1b[1A\x1b[2Kfake\x1b]0;pwned\x07 \xf8}`) {
		t.Errorf("events show -quarantined does not show the body escaped: %q", show)
	}
	saved, _, code := syncdRun(t, "events", "show", "-quarantined", "-config", config, "1")
	if code != 0 || !strings.Contains(saved, string(hostile)) {
		t.Errorf("redirected, the body is not byte for byte (exit %d): %q", code, saved)
	}
}

// onTerminal runs syncd with its standard output on a pseudo-terminal and
// returns what the terminal received.
func onTerminal(t *testing.T, args ...string) string {
	t.Helper()
	master, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	defer master.Close()
	fd := int(master.Fd())
	if err := unix.IoctlSetPointerInt(fd, unix.TIOCSPTLCK, 0); err != nil {
		t.Fatal(err)
	}
	n, err := unix.IoctlGetUint32(fd, unix.TIOCGPTN)
	if err != nil {
		t.Fatal(err)
	}
	tty, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	cmd := syncdCmd(args...)
	cmd.Stdout, cmd.Stderr = tty, os.Stderr
	got := make(chan []byte, 1)
	go func() { b, _ := io.ReadAll(master); got <- b }() // ends with EIO once the terminal is closed
	err = cmd.Run()
	tty.Close()
	out := <-got
	if err != nil {
		t.Fatalf("syncd %v: %v\n%s", args, err, out)
	}
	return string(bytes.ReplaceAll(out, []byte("\r\n"), []byte("\n")))
}

// TestEscapedTextKeepsItsColumn: on a terminal, a row of events list whose
// type was escaped is laid out with its escaped width, so the columns after
// it stay under their headings (the table was measured before escaping,
// and every column after such a type was pushed right).
func TestEscapedTextKeepsItsColumn(t *testing.T) {
	t.Parallel()
	config := writeConfig(t, t.TempDir())
	d := start(t, config)
	for _, body := range []string{`{"eaf_type":"a\u001b[2Jb\u0007","eaf_id":"t1"}`, `{"eaf_type":"email_lead","eaf_id":"t2"}`} {
		if a, err := post(d.url+"/hooks/eaf/"+e2eEAFToken, []byte(body)); err != nil || a.Status != "accepted" {
			t.Fatalf("%s: %+v %v", body, a, err)
		}
	}
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	list := onTerminal(t, "events", "list", "-config", config)
	lines := strings.Split(strings.TrimSpace(list), "\n")
	col := strings.Index(lines[0], "PARSE")
	// The type is named as the report's alarms name it, quoted with Go's
	// escapes (TestEventsListCutsALongType).
	if len(lines) != 3 || col < 0 || !strings.Contains(list, `"a\x1b[2Jb\a"`) {
		t.Fatalf("events list on a terminal:\n%s", list)
	}
	for _, row := range lines[1:] {
		if len(row) <= col || row[col-1] != ' ' || row[col] == ' ' {
			t.Errorf("the PARSE column is not at %d in row %q:\n%s", col, row, list)
		}
	}
}
