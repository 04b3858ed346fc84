package main

// The time zone database is linked in (400 kB on a 28 MB binary) because a minimal
// Debian has no tzdata package and a -trimpath build cannot find Go's own
// copy: report.time_zone, the schedules and the mappings' zones must load
// on any server. Go still prefers the system's zoneinfo when it is there.
import _ "time/tzdata"
