package main

import (
	"os"
	"strconv"
	"strings"
)

// A daemon killed (kill -9, a crash, the OOM killer) leaves its record
// (servingrecord.go), and its pid is given in time to another process: the
// commands took that process for the daemon, refusing replay and sync on
// another -config beside a daemon that no longer ran. The record keeps
// when its process started (processStart) and in which boot (bootID),
// which a process given its pid since cannot share.

// processStart is when the process pid started: the clock ticks from the
// kernel's boot to it (/proc/PID/stat's starttime), which no clock set
// changes. "" where /proc does not say (another system, or /proc mounted
// with hidepid for this user).
func processStart(pid int) string {
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return ""
	}
	return startTicks(string(stat))
}

// startTicks is the starttime of a /proc/PID/stat line s, "" where s has
// none: "pid (comm) state ppid ...", comm holding spaces and parentheses
// as the program named itself; starttime the 22nd field, the 20th after
// comm.
func startTicks(s string) string {
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return ""
	}
	f := strings.Fields(s[i+1:])
	if len(f) < 20 {
		return ""
	}
	return f[19]
}

// bootID names the kernel's boot this runs in; "" where it cannot be read:
// the units' ProcSubset=pid hides it from the daemon, whose record then
// has its process's start alone.
func bootID() string {
	b, err := os.ReadFile("/proc/sys/kernel/random/boot_id")
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}

// running reports whether the daemon of r still runs: its pid is a
// process, and one that started when the daemon's did (and in its boot),
// where its record and /proc both say.
func (r servingRecord) running() bool {
	if !alive(r.PID) {
		return false
	}
	if now := processStart(r.PID); r.Process != "" && now != "" && now != r.Process {
		return false
	}
	if now := bootID(); r.Boot != "" && now != "" && now != r.Boot {
		return false
	}
	return true
}
