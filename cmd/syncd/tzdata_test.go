package main

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// TestBinaryCarriesTimeZones: report.time_zone, the cron schedules and the
// mappings' Europe/London need the time zone database, which a minimal
// Debian (no tzdata package) does not have and a -trimpath build cannot
// find in Go's own tree; without it `syncd validate` refused the example
// configuration ("unknown time zone Europe/Copenhagen"). The binary links
// time/tzdata, which Go uses when the system has no zoneinfo.
func TestBinaryCarriesTimeZones(t *testing.T) {
	t.Parallel()
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	if !slices.Contains(strings.Fields(string(out)), "time/tzdata") {
		t.Error("syncd does not link time/tzdata: on a server without tzdata no time zone loads")
	}
}
