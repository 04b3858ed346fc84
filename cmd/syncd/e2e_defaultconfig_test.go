package main_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestMissingDefaultConfigSaysWhatToGive: every command's -config defaults
// to configs/syncd.example.yaml, the example in a checkout of syncd. An
// operator on an installed server who typed `syncd status` (or events,
// erase, ...) without -config got "read config: open
// configs/syncd.example.yaml: no such file or directory", exit 2: a file
// they never named, in a directory not said. Now the command says that it
// is the default -config, read from which working directory, and to give
// -config with the installed file.
func TestMissingDefaultConfigSaysWhatToGive(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, args := range [][]string{{"status"}, {"events", "list"}, {"validate"}} {
		var stderr strings.Builder
		cmd := exec.Command(syncdBin, args...)
		cmd.Dir, cmd.Stderr = dir, &stderr
		err := cmd.Run()
		ee, ok := err.(*exec.ExitError)
		if !ok || ee.ExitCode() != 2 {
			t.Fatalf("syncd %v in an empty directory: %v, want exit 2\n%s", args, err, stderr.String())
		}
		mustContain(t, "syncd "+strings.Join(args, " "), stderr.String(), "configs/syncd.example.yaml",
			"the default -config", "working directory "+dir, "-config /etc/syncd/syncd.yaml")
	}
}
