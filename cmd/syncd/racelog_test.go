package main_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// raceEnv is the GORACE setting for the binaries these tests run when they
// are built with -race: each writes the races it finds to a file under dir
// (log_path: the race runtime adds the pid), which raceReports turns into
// a failed run. On stderr a daemon's race went by unnoticed, the test
// passing. And each exits at once, not after the race runtime's default
// second's wait (atexit_sleep_ms, meant for a race in its last moments),
// which in a run of several hundred commands was most of its time. A
// GORACE the run was given is appended, so its options win. The path is
// in double quotes: the race runtime splits GORACE at spaces, colons and
// commas, and a TMPDIR with a space in it (/home/Søren Ærø/tmp) made every
// binary built with -race exit 66 at start ("ThreadSanitizer: ERROR:
// expected '=' in GORACE").
func raceEnv(dir string) string {
	return strings.TrimSpace("atexit_sleep_ms=0 log_path=\"" + filepath.Join(dir, "race") + "\" " + os.Getenv("GORACE"))
}

// raceReports returns the races the binaries reported under dir, or "".
func raceReports(dir string) string {
	files, _ := filepath.Glob(filepath.Join(dir, "race.*"))
	var b strings.Builder
	for _, f := range files {
		data, _ := os.ReadFile(f)
		fmt.Fprintf(&b, "== %s\n%s\n", f, data)
	}
	return b.String()
}
