package main

import "testing"

// TestUnitOfNamesTheAgencysInstance: serve refused as root on an agency's
// data directory names the unit that serves its file, syncd@NAME for
// /etc/syncd/NAME.yaml, not syncd.
func TestUnitOfNamesTheAgencysInstance(t *testing.T) {
	for file, want := range map[string]string{
		"/etc/syncd/syncd.yaml":     "syncd",
		"/etc/syncd/nordbolig.yaml": "syncd@nordbolig",
		"syncd.yaml":                "syncd",
	} {
		if got := unitOf(file); got != want {
			t.Errorf("unitOf(%q) = %q, want %q", file, got, want)
		}
	}
}
