package main

import (
	"runtime/debug"
	"strings"
)

// binaryVersion is the version this binary reports everywhere it names
// itself (syncd version, syncd_build_info and so the status page, a
// PostgreSQL instance's heartbeat and so the fleet's versions, the report
// mail's X-Mailer): the one the build set (-ldflags "-X main.version=V"),
// else the module version Go recorded, else "dev".
func binaryVersion() string {
	bi, _ := debug.ReadBuildInfo() // nil in a binary built without module support
	return pickVersion(version, bi)
}

// pickVersion is binaryVersion's choice between set, what -ldflags gave
// (blank where the build's `git describe` failed, as in a release tarball
// without .git), and bi, the build information the binary carries (nil:
// none): the module version is that of `go install …@v1.2.0`, or the tag
// or pseudo-version (naming the commit, "+dirty" after a local change)
// that `go build` records in a git clone.
func pickVersion(set string, bi *debug.BuildInfo) string {
	if set = strings.TrimSpace(set); set != "" && set != "dev" {
		return set
	}
	if bi != nil && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}
