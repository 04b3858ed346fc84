package main

import (
	"runtime/debug"
	"testing"
)

// TestTuneGCLeavesTheOperatorsSetting: the daemon collects at GOGC 400
// within a 1 GiB soft limit, unless the environment sets GOGC or
// GOMEMLIMIT, which then stand as Go read them.
func TestTuneGCLeavesTheOperatorsSetting(t *testing.T) {
	percent, limit := debug.SetGCPercent(100), debug.SetMemoryLimit(-1)
	t.Cleanup(func() { debug.SetGCPercent(percent); debug.SetMemoryLimit(limit) })
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

	debug.SetGCPercent(100)
	debug.SetMemoryLimit(1 << 40)
	tuneGC(env(nil))
	if p, l := debug.SetGCPercent(100), debug.SetMemoryLimit(1<<40); p != daemonGCPercent || l != daemonMemoryLimit {
		t.Errorf("without GOGC or GOMEMLIMIT: GOGC %d, limit %d; want %d, %d", p, l, daemonGCPercent, daemonMemoryLimit)
	}
	tuneGC(env(map[string]string{"GOGC": "50", "GOMEMLIMIT": "200MiB"}))
	if p, l := debug.SetGCPercent(100), debug.SetMemoryLimit(1<<40); p != 100 || l != 1<<40 {
		t.Errorf("with GOGC and GOMEMLIMIT set: tuneGC changed them to %d, %d", p, l)
	}
}
