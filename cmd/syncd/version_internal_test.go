package main

import (
	"runtime/debug"
	"testing"
)

// TestVersionFromTheBuild: a binary built without -X main.version said
// "syncd dev" though Go recorded its version: `go install
// github.com/syncd-dev/syncd/cmd/syncd@v1.2.0`, the install steps' other
// way, records v1.2.0, and `go build` in a git clone the tag or a
// pseudo-version naming the commit. binaryVersion takes that version when
// the build set none; one the build set comes first; "dev" when neither
// says anything (a tarball built as it is).
func TestVersionFromTheBuild(t *testing.T) {
	t.Parallel()
	built := func(v string) *debug.BuildInfo {
		return &debug.BuildInfo{Main: debug.Module{Path: "github.com/syncd-dev/syncd", Version: v}}
	}
	for _, c := range []struct {
		set  string
		bi   *debug.BuildInfo
		want string
	}{
		{"dev", built("v1.2.0"), "v1.2.0"},
		{"dev", built("v0.0.0-20261206105553-2d0e7fc3abcd+dirty"), "v0.0.0-20261206105553-2d0e7fc3abcd+dirty"},
		{"", built("v1.2.0"), "v1.2.0"},
		{"1.3.0-rc1", built("v1.2.0"), "1.3.0-rc1"},
		{"v1.2.0-3-g2d0e7fc", built("(devel)"), "v1.2.0-3-g2d0e7fc"},
		{"dev", built("(devel)"), "dev"},
		{" ", built(""), "dev"},
		{"", nil, "dev"},
	} {
		recorded := "none"
		if c.bi != nil {
			recorded = c.bi.Main.Version
		}
		if got := pickVersion(c.set, c.bi); got != c.want {
			t.Errorf("set %q, module version %q: %q, want %q", c.set, recorded, got, c.want)
		}
	}
}
