package main_test

import (
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"
)

// TestTarballBuildSaysItsVersion: built from a release tarball (no .git)
// by the install steps' line, -ldflags "-X main.version=$(git describe
// --tags --always)", whose git describe fails there and sets the version
// blank, syncd version printed "syncd " and nothing more, while
// syncd_build_info, and so the status page, said "(devel)": nothing to
// tell the binary by. It says "dev" in all three now, as a build given
// no version does; and a version given there (-X main.version=1.2.0, the
// steps' way for a tarball) is what all three say.
func TestTarballBuildSaysItsVersion(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	for _, c := range []struct{ set, want string }{{"", "dev"}, {"1.2.0", "1.2.0"}} {
		dir := t.TempDir()
		bin := filepath.Join(dir, "syncd")
		// -buildvcs=false: no .git, as in a tarball
		build := exec.Command("go", "build", "-buildvcs=false", "-ldflags", "-X main.version="+c.set, "-o", bin, ".")
		if out, err := build.CombinedOutput(); err != nil {
			t.Fatalf("build: %v\n%s", err, out)
		}
		out, err := exec.Command(bin, "version").Output()
		if err != nil || string(out) != "syncd "+c.want+"\n" {
			t.Errorf("-X main.version=%q: syncd version printed %q (%v), want %q", c.set, out, err, "syncd "+c.want+"\n")
		}
		file := writeConfig(t, dir)
		d := startCmd(t, exec.Command(bin, "serve", "-config", file))
		if m := metricsText(t, d.url); !regexp.MustCompile(`syncd_build_info\{[^}]*version="` + regexp.QuoteMeta(c.want) + `"\} 1`).MatchString(m) {
			t.Errorf("-X main.version=%q: syncd_build_info is not version %q:\n%s", c.set, c.want, grepLines(m, "syncd_build_info"))
		}
		status, _ := exec.Command(bin, "status", "-config", file).Output()
		if !regexp.MustCompile(`(?m)^syncd +` + regexp.QuoteMeta(c.want) + `[ ,]`).Match(status) {
			t.Errorf("-X main.version=%q: status does not name version %q:\n%s", c.set, c.want, status)
		}
	}
}
