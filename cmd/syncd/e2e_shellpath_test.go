package main_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestDataDirWrittenAsForAShellIsRefused: a data_dir written as for a
// shell (~/syncd-data, $HOME/syncd-data) is not expanded by syncd. serve
// took it as a relative path and created ./~/syncd-data in its working
// directory with an empty database there (logged at info only), which the
// commands run from another directory never found; validate said ok. Now
// validate and serve refuse it, exit 2, naming the line and what to
// write, and serve creates nothing.
func TestDataDirWrittenAsForAShellIsRefused(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, c := range []struct{ dataDir, want string }{
		{"~/syncd-data", "data_dir ~/syncd-data: syncd does not expand ~ as a shell does"},
		{"$HOME/syncd-data", "data_dir $HOME/syncd-data: syncd expands ${HOME}, not $HOME"},
	} {
		cfg := strings.Replace(configYAML(dir, []string{e2eLBToken}, ""), "data_dir: "+filepath.Join(dir, "data"), "data_dir: "+c.dataDir, 1)
		file := filepath.Join(dir, "syncd.yaml")
		if err := os.WriteFile(file, []byte(cfg), 0o600); err != nil {
			t.Fatal(err)
		}
		work := t.TempDir() // the operator's shell
		for _, args := range [][]string{{"validate", "-offline"}, {"serve"}} {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute) // an old serve serves on
			cmd := syncdCmdContext(ctx, append(args, "-config", file)...)
			cmd.Dir = work
			out, err := cmd.CombinedOutput()
			cancel()
			if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 2 {
				t.Errorf("syncd %v with data_dir %s: %v, want exit 2:\n%s", args, c.dataDir, err, out)
			}
			mustContain(t, "syncd "+args[0]+"'s output", string(out), "syncd.yaml:2: "+c.want, "write ")
			if entries, _ := os.ReadDir(work); len(entries) > 0 {
				t.Errorf("syncd %v with data_dir %s created %s in the working directory", args, c.dataDir, entries[0].Name())
			}
		}
	}
}
