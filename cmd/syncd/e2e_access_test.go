package main_test

import (
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// TestUnwritableDataSaysWhoseItIs: syncd run as a user who cannot write
// the data directory or the database (here postgres, over root's) names
// the path, its owner and mode, and what to do. It used to say only
// "migrate: attempt to write a readonly database", or, for a data
// directory wider than 0751, "open db: file mode: chmod DIR: operation not
// permitted". A command that only reads opens a database it can read
// read-only instead, saying why. One refused exits 2, as serve does (the
// rights are a person's to give: it exited 1, "failed").
func TestUnwritableDataSaysWhoseItIs(t *testing.T) {
	t.Parallel()
	as := otherUser(t)
	dir, bin, config := accessDir(t, as, "")
	makeDB(t, dir)
	data, db := filepath.Join(dir, "data"), filepath.Join(dir, "data", "syncd.db")
	run := func(args ...string) (string, int) { return runAs(as, bin, dir, config, args...) }

	os.Chmod(data, 0o755)
	out, code := run("serve") // root's, which postgres cannot write: a chmod 751 (the mode syncd keeps) would not help
	if code == 0 || !strings.Contains(out, "cannot write "+data+" (owned by root, mode 0755) as postgres, the user this serve runs as") ||
		!strings.Contains(out, inJSON("chown -R postgres "+sq(data))) {
		t.Errorf("serve over a wide data directory of root's: exit %d\n%s", code, out)
	}

	os.Chmod(data, 0o751)
	os.Chown(db, int(as.Uid), int(as.Gid)) // the database is postgres's, the directory (for -wal, -shm) is not
	out, code = run("purge")
	if code != 2 || !strings.Contains(out, "open db: cannot write "+data+" (owned by root, mode 0751) as postgres: run the command as root") {
		t.Errorf("purge, data directory not writable: exit %d\n%s", code, out)
	}
	out, code = run("events", "list") // only reads: opened read-only, saying why
	if code != 0 || !strings.Contains(out, "syncd events list: the database was opened read-only, so nothing in it changes: cannot write "+data+" (owned by root, mode 0751) as postgres") {
		t.Errorf("events list, data directory not writable: exit %d\n%s", code, out)
	}

	os.Chown(db, 0, 0)
	out, code = run("events", "list")
	if code != 2 || !strings.Contains(out, "open db: cannot write "+db+" (owned by root, mode 0600) as postgres: run the command as root") {
		t.Errorf("events list, database not writable: exit %d\n%s", code, out)
	}
}

// runAs runs bin with args and -config config in dir as the user as
// (the test's own, root, when nil), and returns what it printed, stdout
// and stderr together, and its exit status.
func runAs(as *syscall.Credential, bin, dir, config string, args ...string) (string, int) {
	cmd := exec.Command(bin, append(args, "-config", config)...)
	cmd.Dir = dir
	if as != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: as}
	}
	out, _ := cmd.CombinedOutput()
	return string(out), cmd.ProcessState.ExitCode()
}

// otherUser is the credential of postgres, to run syncd as a user other
// than the data's owner (root); the test is skipped where that cannot be.
func otherUser(t *testing.T) *syscall.Credential {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root: runs syncd as postgres over data owned by root")
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		t.Skip("no postgres user to run syncd as, over data owned by root")
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
}

// accessDir is a directory of root's (removed when the test ends) that
// as may pass, holding the syncd binary and a dry-run configuration with
// extra appended (extra's "DIR" the directory), which as owns: for running
// syncd as another user than the data's owner.
func accessDir(t *testing.T, as *syscall.Credential, extra string) (dir, bin, config string) {
	t.Helper()
	dir, err := os.MkdirTemp("", "syncd-access-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	bin = binaryIn(t, dir)
	config = writeConfigWith(t, dir, strings.ReplaceAll(extra, "DIR", dir))
	if os.Chmod(dir, 0o755) != nil || os.Chown(config, int(as.Uid), int(as.Gid)) != nil {
		t.Fatal("cannot open the test's directory to postgres")
	}
	return dir, bin, config
}

// binaryIn puts the syncd binary into dir (whose mode another user can
// pass, unlike the tests' build directory) and returns its path. A hard
// link when it can: a copy is a file open for writing, and a test forking
// a process meanwhile holds that descriptor until its exec, so running the
// copy failed now and then with "text file busy" under parallel tests.
func binaryIn(t *testing.T, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "syncd")
	if os.Link(syncdBin, bin) == nil {
		return bin
	}
	b, err := os.ReadFile(syncdBin)
	if err == nil {
		err = os.WriteFile(bin, b, 0o755)
	}
	if err != nil {
		t.Fatal(err)
	}
	return bin
}

// TestServeAfterRootGivesOneChownForAll: root ran `syncd serve` once (to
// try it) and left the data directory, database, daemon lock and reports
// directory its own; `serve` as the service user (here postgres) named one
// file at a time, each with "run the command as root, or let postgres
// write it": the directory first, then, the directory given back, the
// lock file, and so on, never a command that gives them all back (before
// that, "daemon lock: open …/syncd.db-daemon.lock: permission denied").
// It now names the first file and the one chown -R of the data directory,
// which, run as root, lets serve start; the reports directory's group is
// left as it was.
func TestServeAfterRootGivesOneChownForAll(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	as := otherUser(t)
	dir, bin, config := accessDir(t, as, "")
	start(t, config).stop(t, syscall.SIGTERM) // as root
	data := filepath.Join(dir, "data")
	serve := func() *exec.Cmd {
		cmd := exec.Command(bin, "serve", "-config", config)
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: as}
		return cmd
	}

	cmd := serve()
	b, _ := cmd.CombinedOutput()
	out := string(b)
	chown := "chown -R postgres " + sq(data)
	if code := cmd.ProcessState.ExitCode(); code != 2 || !strings.Contains(out, "cannot write "+data+
		" (owned by root, mode 0750) as postgres, the user this serve runs as") || !strings.Contains(out, inJSON("as root: "+chown+";")) {
		t.Fatalf("serve over root's data directory: exit %d\n%s", code, out)
	}
	if b, err := exec.Command("sh", "-c", chown).CombinedOutput(); err != nil {
		t.Fatalf("%s: %v: %s", chown, err, b)
	}
	d := startCmd(t, serve())
	if d.stop(t, syscall.SIGTERM) != nil {
		t.Errorf("serve after %s:\n%s", chown, d.log())
	}
}

// TestReportAfterRootSaysWhoseTheDirectoryIs: a reports directory made by
// root (mkdir) is root's; the service user's report (here postgres's) then
// names the directory, its owner and mode, and what to do. It used to say
// only "open …/.leads-DAY.xlsx.123.tmp: permission denied", every morning.
func TestReportAfterRootSaysWhoseTheDirectoryIs(t *testing.T) {
	t.Parallel()
	as := otherUser(t)
	dir, bin, config := accessDir(t, as, "")
	makeDB(t, dir)
	data := filepath.Join(dir, "data")
	filepath.Walk(data, func(p string, _ os.FileInfo, _ error) error { return os.Chown(p, int(as.Uid), int(as.Gid)) })
	reports := filepath.Join(data, "reports")
	if err := os.Mkdir(reports, 0o750); err != nil { // as root
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "report", "-config", config, "-date", "2026-11-28")
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: as}
	out, _ := cmd.CombinedOutput()
	if code := cmd.ProcessState.ExitCode(); code != 1 ||
		!strings.Contains(string(out), "write workbook: cannot write "+reports+" (owned by root, mode 0750) as postgres") {
		t.Errorf("report as postgres into root's reports directory: exit %d\n%s", code, out)
	}
}
