package main_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestAnotherAgencysDaemonIsNamedByItsFile: on a server of several
// agencies (syncd@NAME, each run on /etc/syncd/NAME.yaml), a daemon whose
// file was copied from another agency's, its data_dir or its report.dir
// left as they were, was refused naming the other daemon by its pid and
// database alone. It now names the file that daemon runs too, and, of the
// database, this one's file.
func TestAnotherAgencysDaemonIsNamedByItsFile(t *testing.T) {
	t.Parallel()
	a := newAgency(t, "")
	start(t, a.config)

	c := newAgency(t, "") // agency C's file, its data_dir A's
	yaml, _ := os.ReadFile(c.config)
	os.WriteFile(c.config, []byte(strings.Replace(string(yaml), filepath.Join(c.dir, "data"), filepath.Join(a.dir, "data"), 1)), 0o600)
	out := serveRefused(t, c.config)
	mustContain(t, "a daemon on agency A's data_dir", out, "is serving "+a.db, "that daemon runs "+a.config+", this one "+c.config)

	b := newAgency(t, "report:\n  dir: "+filepath.Join(a.dir, "data", "reports")+"\n") // B's report.dir A's
	out = serveRefused(t, b.config)
	mustContain(t, "a daemon on agency A's reports directory", out, "database "+a.db+", configuration "+a.config+") writes its reports to")
}

// TestAnotherAgencysReportsDirReadOnlyToTheUnitIsRefused: under its unit
// (ProtectSystem=strict, StateDirectory=syncd/NAME) a daemon may write only
// its own state directory, so another agency's reports directory, named by
// a report.dir copied from that agency's file, is read-only to it. Its
// lock could not be taken for that reason, which was a warning: the
// daemon served, its report failing each morning, the warning's fix to
// let it write there (ReadWritePaths=), into the other agency's reports.
// A directory another agency's daemon writes to is now refused at start
// all the same, naming that daemon. The test runs the real binary in a
// user and mount namespace (unshare -rm) in which agency A's directory is
// bind-mounted read-only, with STATE_DIRECTORY B's.
func TestAnotherAgencysReportsDirReadOnlyToTheUnitIsRefused(t *testing.T) {
	t.Parallel()
	a := newAgency(t, "")
	start(t, a.config)
	aData := filepath.Join(a.dir, "data")
	b := newAgency(t, "report:\n  dir: "+filepath.Join(aData, "reports")+"\n")
	bData := filepath.Join(b.dir, "data")
	if err := os.Mkdir(bData, 0o750); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	script := `mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" || exit 111; shift; exec "$@"`
	cmd := exec.CommandContext(ctx, "unshare", "-rm", "sh", "-c", script, "sh", aData, syncdBin, "serve", "-config", b.config)
	cmd.Env = append(os.Environ(), "STATE_DIRECTORY="+bData, "INVOCATION_ID=0123456789abcdef")
	out, err := cmd.CombinedOutput()
	code := cmd.ProcessState.ExitCode()
	if err != nil && (code == 111 || errors.Is(err, exec.ErrNotFound)) {
		t.Skipf("needs unshare -rm (user and mount namespaces) to mount a directory read-only: %v %s", err, out)
	}
	if code != 2 || strings.Contains(string(out), `"serving"`) {
		t.Fatalf("serve on agency A's reports directory, read-only to it: exit %d (%v), want 2 before serving\n%s", code, err, out)
	}
	mustContain(t, "serve on agency A's reports directory, read-only to it", string(out),
		"reports directory taken: another syncd daemon", "configuration "+a.config+") writes its reports to "+filepath.Join(aData, "reports"))
}

// TestACommandReadingAnotherDatabaseThanItsFilesSaysSo: docs/backup.md's
// nightly line is syncd.service's, SYNCD_DATA_DIR=/var/lib/syncd set as
// its unit sets it. Copied for an agency's file (-config
// /etc/syncd/NAME.yaml, whose data_dir is /var/lib/syncd/NAME), it backed
// up syncd.service's database, or another agency's, under that agency's
// name, exit 0 and not a word: the agency's own leads were in no backup.
// A command whose SYNCD_DATA_DIR overrides the file's data_dir with
// another directory now says which database it reads, and the file's.
func TestACommandReadingAnotherDatabaseThanItsFilesSaysSo(t *testing.T) {
	t.Parallel()
	a, b := newAgency(t, ""), newAgency(t, "")
	start(t, a.config).stop(t, syscall.SIGTERM)
	start(t, b.config).stop(t, syscall.SIGTERM)
	aData := filepath.Join(a.dir, "data")
	out := filepath.Join(t.TempDir(), "b.db")
	_, stderr, code := syncdRunEnv(t, "SYNCD_DATA_DIR="+aData, "backup", "-config", b.config, "-out", out)
	if code != 0 {
		t.Fatalf("backup: exit %d\n%s", code, stderr)
	}
	mustContain(t, "backup of agency B's file with agency A's SYNCD_DATA_DIR", stderr,
		"syncd backup: warning: SYNCD_DATA_DIR="+aData+" overrides data_dir "+filepath.Join(b.dir, "data")+" of "+b.config+
			": this command reads "+a.db+", not the file's database")
	if _, stderr, _ := syncdRunEnv(t, "SYNCD_DATA_DIR="+filepath.Join(b.dir, "data"), "backup", "-config", b.config, "-out", out+"2"); stderr != "" {
		t.Errorf("backup with SYNCD_DATA_DIR the file's data_dir said:\n%s", stderr)
	}
	// syncd.service's own file, as the package installs it (data_dir
	// ./data, never used: the unit's SYNCD_DATA_DIR names the database),
	// backed up by docs/backup.md's nightly line: nothing to say to cron.
	c := newAgency(t, "")
	start(t, c.config).stop(t, syscall.SIGTERM)
	moved := filepath.Join(t.TempDir(), "var-lib-syncd")
	if err := os.Rename(filepath.Join(c.dir, "data"), moved); err != nil {
		t.Fatal(err)
	}
	if _, stderr, code := syncdRunEnv(t, "SYNCD_DATA_DIR="+moved, "backup", "-config", c.config, "-out", out+"3"); code != 0 || stderr != "" {
		t.Errorf("backup of a file whose data_dir holds no database, with SYNCD_DATA_DIR: exit %d, said:\n%s", code, stderr)
	}
}
