package main_test

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestADataDirOutsideTheUnitsStateDirectoryIsNamed: syncd@NAME may write
// only /var/lib/syncd/NAME (StateDirectory=syncd/%i, ProtectSystem=strict),
// and systemd names it in STATE_DIRECTORY. An agency's file with data_dir
// left at the example's ./data (read from /etc/syncd, read-only), or
// copied from another agency's file, stopped the daemon with "open db:
// data directory: mkdir data: read-only file system; this command writes to
// the database. The commands that only read open it read-only: syncd
// backup ...", or, of the other agency's directory, "the kernel remounts a
// disk read-only after an I/O error: see dmesg": neither the directory
// nor the fix. The start now names the directory, absolute, and the
// one the service may write, with the data_dir to set. The test runs the
// real binary in a user and mount namespace (unshare -rm) in which the
// configuration's directory and the other agency's are bind-mounted
// read-only, as the unit's sandbox has them, with STATE_DIRECTORY set.
func TestADataDirOutsideTheUnitsStateDirectoryIsNamed(t *testing.T) {
	t.Parallel()
	base := t.TempDir()
	etc, other, state := filepath.Join(base, "etc"), filepath.Join(base, "other"), filepath.Join(base, "nordbolig")
	for _, d := range []string{etc, other, state} {
		if err := os.Mkdir(d, 0o750); err != nil {
			t.Fatal(err)
		}
	}
	for name, dataDir := range map[string]string{"./data": "./data", "another agency's": other} {
		t.Run(name, func(t *testing.T) {
			cfg := strings.Replace(configYAML(base, []string{e2eLBToken}, ""), "data_dir: "+filepath.Join(base, "data"),
				"data_dir: "+dataDir, 1)
			file := filepath.Join(etc, "nordbolig-"+filepath.Base(dataDir)+".yaml")
			if err := os.WriteFile(file, []byte(cfg), 0o600); err != nil {
				t.Fatal(err)
			}
			script := `mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && mount --bind "$2" "$2" &&
				mount -o remount,bind,ro "$2" && cd "$1" || exit 111; shift 2; exec "$@"`
			cmd := exec.Command("unshare", "-rm", "sh", "-c", script, "sh", etc, other, syncdBin, "serve", "-config", file)
			cmd.Env = append(os.Environ(), "STATE_DIRECTORY="+state)
			out, err := cmd.CombinedOutput()
			code := cmd.ProcessState.ExitCode()
			if err != nil && (code == 111 || code == -1 || errors.Is(err, exec.ErrNotFound)) {
				t.Skipf("needs unshare -rm (user and mount namespaces) to mount a directory read-only: %v %s", err, out)
			}
			if code != 2 {
				t.Fatalf("serve with data_dir %s outside its state directory: exit %d, want 2\n%s", dataDir, code, out)
			}
			notWritten := other
			if dataDir == "./data" {
				notWritten = filepath.Join(etc, "data")
			}
			for _, want := range []string{"cannot write " + notWritten + ": read-only file system",
				"may write only its state directory " + state, "set data_dir: " + state + " in the configuration"} {
				if !strings.Contains(string(out), want) {
					t.Errorf("serve said:\n%s\nwant %q in it", out, want)
				}
			}
			for _, wrong := range []string{"dmesg", "The commands that only read", "mkdir data"} {
				if strings.Contains(string(out), wrong) {
					t.Errorf("serve said:\n%s\nnot the cause nor the fix: %q", out, wrong)
				}
			}
		})
	}
}
