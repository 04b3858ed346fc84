package main

import (
	"fmt"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// reloadWaitLeast is the shortest -wait syncd reload takes: the daemon
// loads the files and says so in well under a second, but not in none.
const reloadWaitLeast = time.Second

// waitRefused says why syncd reload refuses -wait d, before it signals
// anything, or "" for a wait it takes. -wait 0s or -5s signalled the
// daemon, which took the files, then said "the daemon did not say within
// -5 seconds whether it took the files", exit 1, a failure to systemd.
func waitRefused(d time.Duration) string {
	if d >= reloadWaitLeast {
		return ""
	}
	return fmt.Sprintf("-wait %s is too short to hear the daemon's answer: give how long to wait for it, %s or more, "+
		"such as 90s (the default); nothing signalled", d, syncd.HowLong(reloadWaitLeast))
}
