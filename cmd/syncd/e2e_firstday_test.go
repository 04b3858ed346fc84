package main_test

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestDashDashVersionPrintsTheVersion: "syncd --version", what most tools
// take, printed `unknown command "--version": did you mean "version"?`
// and the whole usage, exit 2; it prints the version now, as "syncd
// version" does.
func TestDashDashVersionPrintsTheVersion(t *testing.T) {
	t.Parallel()
	notInShort(t, commandLineOnly)
	want, _, code := syncdRun(t, "version")
	if code != 0 || !strings.HasPrefix(want, "syncd ") {
		t.Fatalf("syncd version: exit %d, %q", code, want)
	}
	for _, flag := range []string{"--version", "-version"} {
		out, errOut, code := syncdRun(t, flag)
		if code != 0 || out != want || errOut != "" {
			t.Errorf("syncd %s: exit %d, stdout %q, stderr %q; want exit 0 and %q", flag, code, out, errOut, want)
		}
	}
	if _, errOut, code := syncdRun(t, "--version", "extra"); code != 2 || !strings.Contains(errOut, `unexpected argument "extra"`) {
		t.Errorf("syncd --version extra: exit %d, %q; want exit 2 naming the argument", code, errOut)
	}
}

// TestFlagBeforeTheCommandSaysWhereItGoes: "syncd -config FILE status", a
// flag before the command as some tools take it, printed `unknown command
// "-config"` and the whole usage; it says now that the command comes
// first and gives the line to type, the flags after the command and its
// arguments, a path a shell would split quoted, and does nothing (exit 2).
func TestFlagBeforeTheCommandSaysWhereItGoes(t *testing.T) {
	t.Parallel()
	notInShort(t, commandLineOnly)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-config", "/etc/syncd/syncd.yaml", "status"}, "syncd status -config /etc/syncd/syncd.yaml"},
		{[]string{"-config", "/etc/syncd/syncd.yaml", "events", "list", "-json"}, "syncd events list -json -config /etc/syncd/syncd.yaml"},
		{[]string{"-config", "my syncd.yaml", "validate"}, "syncd validate -config 'my syncd.yaml'"},
		{[]string{"-config", "status", "status"}, "syncd status -config status"}, // a flag's value is not the command
		{[]string{"-json", "events", "list"}, "syncd events list -json"},
	} {
		out, errOut, code := syncdRun(t, c.args...)
		if code != 2 || out != "" {
			t.Errorf("syncd %q: exit %d, stdout %q; want exit 2, nothing on stdout", c.args, code, out)
		}
		mustContain(t, "syncd "+strings.Join(c.args, " "), errOut,
			c.args[0]+" before the command: the command comes first, its flags after it: "+c.want+"\n")
		if strings.Contains(errOut, "usage:") || strings.Contains(errOut, "unknown command") {
			t.Errorf("syncd %q: the whole usage or unknown command, not the line to type:\n%s", c.args, errOut)
		}
	}
	// a flag alone, no command after it, is still an unknown command
	if _, errOut, code := syncdRun(t, "-x"); code != 2 || !strings.Contains(errOut, `unknown command "-x"`) {
		t.Errorf("syncd -x: exit %d, %q", code, errOut)
	}
}

// TestOwnFilesNotWritableSayChmodNotRunAs: the data directory its service
// user owns, but made read-only (chmod a-w, or copied so from a read-only
// mount), and a configuration file its owner may not read: serve and
// validate run as that owner told it to "run the command as postgres" and
// "run syncd as postgres", as it already was. They name the mode as the
// cause now, and the chmod that gives the owner its right back.
func TestOwnFilesNotWritableSayChmodNotRunAs(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	as := otherUser(t)
	dir, err := os.MkdirTemp("", "syncd-firstday-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	bin := binaryIn(t, dir)
	config := writeConfig(t, dir)
	makeDB(t, dir)
	data := filepath.Join(dir, "data")
	if os.Chmod(dir, 0o755) != nil || os.Chown(config, int(as.Uid), int(as.Gid)) != nil {
		t.Fatal("cannot open the test's directory to postgres")
	}
	filepath.WalkDir(data, func(p string, _ fs.DirEntry, _ error) error { return os.Chown(p, int(as.Uid), int(as.Gid)) })
	run := func(args ...string) (string, int) {
		cmd := exec.Command(bin, append(args, "-config", config)...)
		cmd.Dir = dir
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: as}
		out, _ := cmd.CombinedOutput()
		return string(out), cmd.ProcessState.ExitCode()
	}

	os.Chmod(data, 0o551)
	out, code := run("serve")
	if code != 2 || !strings.Contains(out, "cannot write "+data+" (owned by postgres, mode 0551) as postgres, its owner") ||
		!strings.Contains(out, inJSON("chmod u+w "+sq(data))) || strings.Contains(out, "run the command as postgres") {
		t.Errorf("serve as postgres over its own data directory made read-only: exit %d, want 2 and chmod u+w %s\n%s", code, data, out)
	}

	os.Chmod(data, 0o751)
	os.Chmod(config, 0o200)
	out, code = run("validate")
	if code != 2 || !strings.Contains(out, "chmod u+r "+sq(config)) || strings.Contains(out, "run syncd as postgres") {
		t.Errorf("validate as postgres of its own configuration file it may not read: exit %d, want 2 and chmod u+r %s\n%s", code, config, out)
	}
}

// TestRenamedDatabaseIsNamedWithTheWayBack: the database renamed while
// syncd was stopped (mv syncd.db syncd.db.old, "to start clean", then
// second thoughts) made serve, validate and status say only that it is
// gone, to restore a backup or start -fresh, with the database itself
// beside the marker. They name the SQLite file beside it now, and the mv
// that puts it back; a file that is no database is not named.
func TestRenamedDatabaseIsNamedWithTheWayBack(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	dir := t.TempDir()
	config := writeConfig(t, dir)
	start(t, config).stop(t, syscall.SIGTERM)
	data := filepath.Join(dir, "data")
	db, old := filepath.Join(data, "syncd.db"), filepath.Join(data, "syncd.db.old")
	if err := os.Rename(db, old); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(data, "notes.txt"), []byte("moved the database away\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		cmd  string
		code int
	}{{"serve", 2}, {"validate", 2}, {"status", 5}} {
		out, errOut, code := syncdRun(t, c.cmd, "-config", config)
		all := out + errOut
		want := old + " beside it is an SQLite database: if it is this one renamed, put it back: mv " + sq(old) + " " + sq(db) +
			"; if not, restore it"
		if c.cmd == "serve" { // its log: JSON
			want = inJSON(want)
		}
		mustContain(t, "syncd "+c.cmd+" after the database was renamed", all, want)
		if strings.Contains(all, "notes.txt") {
			t.Errorf("syncd %s names a file that is no database:\n%s", c.cmd, all)
		}
		if code != c.code {
			t.Errorf("syncd %s: exit %d, want %d\n%s", c.cmd, code, c.code, all)
		}
	}
	if _, err := os.Stat(db); err == nil {
		t.Fatal("a database was created where the renamed one was")
	}
}
