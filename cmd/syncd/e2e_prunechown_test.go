package main_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestPruneRefusedSaysTheChownThatMendsIt: the reports' cleanup, run as
// the user the database is owned by (the service's), over what `sudo syncd
// ...` left root's in the reports directory, warned "prune: open …: permission
// denied" and "prune: remove …: permission denied": what failed, not what
// mends it. Each now names the file, its owner and mode, and the chown
// that gives it to that user, as root.
func TestPruneRefusedSaysTheChownThatMendsIt(t *testing.T) {
	t.Parallel()
	as := otherUser(t)
	me := "postgres" // otherUser's
	for _, c := range []struct {
		name string
		make func(t *testing.T, reports string) // as root, in the service's reports directory
		want string
	}{
		{"a killed report's rows, root's", func(t *testing.T, reports string) {
			spill := filepath.Join(reports, ".leads-2020-01-01.xlsx.123.syncd-report.tmp")
			if err := os.Mkdir(spill, 0o700); err != nil {
				t.Fatal(err)
			}
			os.WriteFile(filepath.Join(spill, "rows"), []byte("x"), 0o600)
			at := time.Now().Add(-2 * time.Hour)
			os.Chtimes(spill, at, at)
		}, "chown -R " + me + " REPORTS/.leads-2020-01-01.xlsx.123.syncd-report.tmp"},
		{"an old workbook in a directory root made", func(t *testing.T, reports string) {
			os.WriteFile(filepath.Join(reports, "leads-2020-01-01.xlsx"), []byte("x"), 0o644)
			if err := os.Chown(reports, 0, 0); err != nil {
				t.Fatal(err)
			}
		}, "chown " + me + " REPORTS"},
	} {
		dir, bin, config := accessDir(t, as, "report:\n  dir: DIR/data/reports\n")
		makeDB(t, dir)
		data := filepath.Join(dir, "data")
		reports := filepath.Join(data, "reports")
		if err := os.Mkdir(reports, 0o755); err != nil {
			t.Fatal(err)
		}
		filepath.Walk(data, func(p string, _ os.FileInfo, _ error) error { return os.Chown(p, int(as.Uid), int(as.Gid)) })
		c.make(t, reports)
		cmd := exec.Command(bin, "purge", "-config", config)
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: as}
		out, _ := cmd.CombinedOutput()
		command, path, _ := strings.Cut(c.want, "REPORTS") // the path, last, quoted for the shell as a whole
		if want := command + sq(reports+path); !strings.Contains(string(out), want) {
			t.Errorf("%s: purge as %s says:\n%s\nwant %q", c.name, me, out, want)
		}
	}
}
