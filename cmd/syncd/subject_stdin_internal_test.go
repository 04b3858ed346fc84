package main

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"
)

// TestSubjectFromStdinEndsOnInterrupt: Ctrl-C at erase's `email:` prompt
// ends the command (exit 1, nothing done). The interrupt only ends the
// command's context (signal.NotifyContext), and a read of the terminal
// went on waiting for a line, so erase hung until one was typed.
func TestSubjectFromStdinEndsOnInterrupt(t *testing.T) {
	t.Parallel()
	for _, cmd := range []command{cmdErase, cmdExport} {
		stdin, typing := io.Pipe() // nothing is ever typed
		defer typing.Close()
		var stderr strings.Builder
		c := &cli{args: []string{"-email", "-", "-config", "no-such.yaml"}, stdin: stdin, stdout: io.Discard, stderr: &stderr}
		ctx, interrupt := context.WithCancel(context.Background())
		done := make(chan int, 1)
		go func() { done <- cmd(ctx, c) }()
		interrupt()
		select {
		case code := <-done:
			if code != exitFailure || !strings.Contains(stderr.String(), "-email -: interrupted before a line was read, nothing done") {
				t.Errorf("exit %d\n%s", code, stderr.String())
			}
		case <-time.After(time.Minute):
			t.Fatal("still waiting for a line a minute after the interrupt")
		}
	}
}

// TestSubjectFromStdinTakesAFileWithAByteOrderMark: a file saved by
// Notepad begins with a byte-order mark, and `erase -email - < FILE` was
// refused as "not an email address" showing \ufeff before it. The mark is
// no part of the address.
func TestSubjectFromStdinTakesAFileWithAByteOrderMark(t *testing.T) {
	t.Parallel()
	email, phone := "-", "-"
	c := &cli{stdin: strings.NewReader("\ufeffjane@example.com\r\n+45 52 25 05 59\r\n"), stderr: io.Discard}
	if err := c.subjectArgs(context.Background(), &email, &phone); err != nil || email != "jane@example.com" || phone != "+45 52 25 05 59" {
		t.Fatalf("read %q, %q, %v; want the address and number without the mark", email, phone, err)
	}
}
