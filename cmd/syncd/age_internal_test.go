package main

import (
	"testing"
	"time"
)

// TestAgeLeavesOutZeroUnits: status said "26h0m0s ago" and an intake gap
// "(5h35m0s)", Go's notation for a duration, which an operator reads as a
// code; age says "26h" and "5h35m", to the minute from an hour on.
func TestAgeLeavesOutZeroUnits(t *testing.T) {
	t.Parallel()
	for d, want := range map[time.Duration]string{
		0:                               "0s",
		4 * time.Second:                 "4s",
		1500 * time.Millisecond:         "2s",
		2 * time.Minute:                 "2m",
		13*time.Minute + 30*time.Second: "13m30s",
		time.Hour:                       "1h",
		26 * time.Hour:                  "26h",
		5*time.Hour + 35*time.Minute:    "5h35m",
		5*time.Hour + 35*time.Minute + 40*time.Second: "5h36m",
		-15 * time.Minute: "-15m",
	} {
		if got := age(d); got != want {
			t.Errorf("age(%v) = %q, want %q", d, got, want)
		}
	}
}
