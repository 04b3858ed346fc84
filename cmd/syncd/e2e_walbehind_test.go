package main_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestMovedWithoutTheWALRefuses: data_dir moved to another disk after the
// daemon was killed (a crash, a failing disk), syncd.db copied without its
// syncd.db-wal, which held every lead answered 200 since the last
// checkpoint. The daemon started there as if nothing were missing: those
// leads gone without a word, their event ids given to the next leads.
// Now serve refuses (exit 2), as do the commands and validate (1), naming the
// -wal and what to do; with the -wal copied too it starts with every lead;
// a syncd.db copied alone after a clean stop starts as before; and one
// whose -wal is lost for good starts with -wal-lost as a restored backup,
// or, as the service is installed, plainly once syncd accept-restore took
// it for one (before, serve -wal-lost had to be run by hand and stopped).
func TestMovedWithoutTheWALRefuses(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace) // six starts of the daemon: 28 s under -race at a load of 22
	dir := t.TempDir()
	config := writeConfig(t, dir)
	db := filepath.Join(dir, "data", "syncd.db")
	d := start(t, config)
	for _, f := range []string{"eaf/email_lead.json", "eaf/portal_submission_success.json", "lokalebasen/enquiry_created.json"} {
		postTestdata(t, d, f)
	}
	d.cmd.Process.Kill()
	<-d.done
	if _, err := os.Stat(db + "-wal"); err != nil {
		t.Fatalf("the killed daemon left no -wal: %v", err)
	}

	moved, lost, again := t.TempDir(), t.TempDir(), t.TempDir()
	movedConfig := writeConfig(t, moved)
	copyFiles(t, filepath.Join(dir, "data"), filepath.Join(moved, "data"), "syncd.db", ".syncd.db.created")
	lostConfig := writeConfig(t, lost)
	copyFiles(t, filepath.Join(dir, "data"), filepath.Join(lost, "data"), "syncd.db", ".syncd.db.created")
	accepted := t.TempDir()
	acceptedConfig := writeConfig(t, accepted)
	copyFiles(t, filepath.Join(dir, "data"), filepath.Join(accepted, "data"), "syncd.db", ".syncd.db.created")

	out, errOut, code := syncdRun(t, "validate", "-offline", "-config", movedConfig)
	if code != 2 || !strings.Contains(out+errOut, "syncd.db-wal, holding what syncd stored since its last checkpoint") {
		t.Fatalf("validate of syncd.db moved without its -wal: exit %d, want 2 naming the -wal:\n%s%s", code, out, errOut)
	}
	out, errOut, code = syncdRun(t, "events", "list", "-config", movedConfig)
	if code != 2 || !strings.Contains(errOut, "is not beside it") {
		t.Fatalf("events list on syncd.db moved without its -wal: exit %d, want 2 naming the -wal:\n%s%s", code, out, errOut)
	}
	out, code = serveUntilExit(t, movedConfig)
	if code != 2 {
		t.Fatalf("serve on syncd.db moved without its -wal: exit %d, want 2:\n%s", code, out)
	}
	mustContain(t, "serve's refusal", out, "which did not stop cleanly, and its write-ahead log", "is not beside it",
		"copy both", "syncd accept-restore once, then start syncd as usual", "syncd serve -wal-lost")
	if _, err := os.Stat(filepath.Join(moved, "data", "syncd.db-wal")); err == nil {
		t.Fatal("the refusal left a -wal beside the moved syncd.db: the old one could no longer be put beside it")
	}

	// The way on the refusal names: the -wal copied beside it.
	copyFiles(t, filepath.Join(dir, "data"), filepath.Join(moved, "data"), "syncd.db-wal")
	d = start(t, movedConfig)
	if n := len(syncdJSON(t, "events", "list", "-json", "-config", movedConfig)); n != 3 {
		t.Fatalf("%d events at the new place with the -wal copied, want 3:\n%s", n, d.log())
	}
	if out, errOut, code := syncdRun(t, "accept-restore", "-config", movedConfig); code != 4 || !strings.Contains(errOut, "stop it first") {
		t.Fatalf("accept-restore beside the daemon serving the database: exit %d, want 4 saying to stop it:\n%s%s", code, out, errOut)
	}
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	// Stopped cleanly, syncd.db holds everything: copied alone, it starts.
	againConfig := writeConfig(t, again)
	copyFiles(t, filepath.Join(moved, "data"), filepath.Join(again, "data"), "syncd.db")
	d = start(t, againConfig)
	if n := len(syncdJSON(t, "events", "list", "-json", "-config", againConfig)); n != 3 {
		t.Fatalf("%d events in syncd.db copied alone after a clean stop, want 3:\n%s", n, d.log())
	}
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}

	// The -wal lost for good: -wal-lost starts on it as on a restored backup.
	cmd := syncdCmd("serve", "-config", lostConfig, "-wal-lost")
	cmd.Env = os.Environ()
	d = startCmd(t, cmd)
	mustContain(t, "the start with -wal-lost", d.log(), "database restored from a backup",
		"the write-ahead log of the syncd that served it was not beside it, said lost for good")
	out, _, _ = syncdRun(t, "status", "-config", lostConfig)
	mustContain(t, "status after -wal-lost", out, "restored", "not a copy syncd backup made: the write-ahead log")
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}

	// The same, as the service is installed: accept-restore, then a plain
	// start (there was no such command: exit 2). A first accept-restore
	// killed in its window, its mark written and SQLite's -wal made, left
	// a file the next start took for a crashed daemon's (internal/sqlite's
	// TestAcceptKilledAtAnyStepIsAcceptedOrRefused takes each step): it
	// is refused until accept-restore runs again, which finishes it.
	acceptedDB := filepath.Join(accepted, "data", "syncd.db")
	for _, f := range []string{"-accepting", "-wal"} {
		if err := os.WriteFile(acceptedDB+f, nil, 0o640); err != nil {
			t.Fatal(err)
		}
	}
	out, errOut, code = syncdRun(t, "validate", "-offline", "-config", acceptedConfig)
	if code != 2 || !strings.Contains(out+errOut, "was stopped before it finished") ||
		!strings.Contains(out+errOut, "run syncd accept-restore again") {
		t.Fatalf("validate after accept-restore was killed: exit %d, want 2 saying to run it again:\n%s%s", code, out, errOut)
	}
	out, errOut, code = syncdRun(t, "accept-restore", "-config", acceptedConfig)
	if code != 0 {
		t.Fatalf("accept-restore: exit %d, want 0:\n%s%s", code, out, errOut)
	}
	mustContain(t, "accept-restore", out, "finished the accept-restore of "+acceptedDB+" that was stopped before it finished",
		"accepted "+acceptedDB+" as a restored backup",
		"taken for a backup taken at", "next start (systemctl start syncd): it starts on it as on a restored backup")
	if _, err := os.Stat(acceptedDB + "-accepting"); err == nil {
		t.Error("accept-restore finished, its mark still beside the database")
	}
	out, _, code = syncdRun(t, "accept-restore", "-config", acceptedConfig)
	if code != 0 || !strings.Contains(out, "nothing to accept") {
		t.Fatalf("accept-restore again: exit %d, want 0 with nothing to accept:\n%s", code, out)
	}
	d = start(t, acceptedConfig)
	mustContain(t, "the start after accept-restore", d.log(), "database restored from a backup",
		"said lost for good (syncd accept-restore, or serve -wal-lost)")
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
}

// copyFiles copies the named files from one directory into another,
// which it creates (0750), keeping their modes.
func copyFiles(t *testing.T, from, to string, names ...string) {
	t.Helper()
	if err := os.MkdirAll(to, 0o750); err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join(from, n))
		if err != nil {
			t.Fatal(err)
		}
		st, err := os.Stat(filepath.Join(from, n))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(to, n), b, st.Mode().Perm()); err != nil {
			t.Fatal(err)
		}
	}
}

// serveUntilExit runs syncd serve on config, expected to refuse, and
// returns its output and exit status; one still serving after a minute
// fails the test.
func serveUntilExit(t *testing.T, config string) (string, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := syncdCmdContext(ctx, "serve", "-config", config)
	out, err := cmd.CombinedOutput()
	if ctx.Err() != nil {
		t.Fatalf("serve did not refuse, it served for a minute:\n%s", out)
	}
	if ee, ok := err.(*exec.ExitError); ok {
		return string(out), ee.ExitCode()
	}
	if err != nil {
		t.Fatal(err)
	}
	return string(out), 0
}
