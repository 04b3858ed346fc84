package main

import (
	"runtime/debug"
)

// The daemon's garbage collector: it lets the heap grow to five times what
// is live before collecting (GOGC 400, against Go's 100), within a soft
// limit on the memory Go holds. Its live heap is small (tens of MB) and
// turns over with every lead, so Go's default collected a few times per
// thousand leads: a tenth of the daemon's CPU in the pipeline benchmark.
const (
	daemonGCPercent   = 400
	daemonMemoryLimit = 1 << 30 // 1 GiB: the collector works harder as the heap nears it
)

// tuneGC sets the daemon's garbage collector, unless the environment
// (getenv) sets GOGC or GOMEMLIMIT: an operator's own setting, in the
// systemd unit's Environment=, stands.
func tuneGC(getenv func(string) string) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(daemonGCPercent)
	}
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(daemonMemoryLimit)
	}
}
