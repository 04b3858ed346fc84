package main

import (
	"os"
	"os/exec"
	"testing"
)

// TestStartTicksReadsPastAProgramsOwnName: starttime is read after the
// last parenthesis, whatever the program named itself (a name holding
// ") 1 2" read the fields shifted), and a short line has none.
func TestStartTicksReadsPastAProgramsOwnName(t *testing.T) {
	t.Parallel()
	const tail = " S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 4242 20 21\n"
	for line, want := range map[string]string{
		"77 (syncd)" + tail:          "4242",
		"77 (a) 1 2 (b) c)" + tail:   "4242",
		"77 (sleep)  S 1 2 3\n":      "",
		"no parenthesis at all here": "",
	} {
		if got := startTicks(line); got != want {
			t.Errorf("startTicks(%q) = %q, want %q", line, got, want)
		}
	}
}

// TestProcessStartTellsAnotherProcess: this process's start is read, the
// same each time, and a process started after it has another.
func TestProcessStartTellsAnotherProcess(t *testing.T) {
	t.Parallel()
	self := processStart(os.Getpid())
	if self == "" {
		t.Skip("/proc does not say when this process started")
	}
	if again := processStart(os.Getpid()); again != self {
		t.Fatalf("this process's start read twice: %q, then %q", self, again)
	}
	sleep := exec.Command("sleep", "60")
	if err := sleep.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { sleep.Process.Kill(); sleep.Wait() }()
	// a tick is 10 ms: a process started in the same one shares it
	r := servingRecord{PID: sleep.Process.Pid, Process: self, Boot: bootID()}
	if other := processStart(sleep.Process.Pid); other == self && other != "" {
		t.Skipf("the sleep started in this process's tick (%s)", self)
	}
	if r.running() {
		t.Errorf("a record of this process's start, the pid a sleep's: taken for running")
	}
	if r.Process = processStart(sleep.Process.Pid); !r.running() {
		t.Errorf("a record of the sleep's own start: not taken for running")
	}
	if r.Boot = "another-boot"; bootID() != "" && r.running() {
		t.Errorf("a record of another boot: taken for running")
	}
}
