package main_test

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestKilledExportLeavesNoFileAtItsPath: `syncd export -out FILE` killed
// midway (kill -9, the OOM killer; a power cut) left its file at FILE,
// written but not synced (empty or cut short, killed sooner), and the next
// export to FILE refused it as a file there already, which the operator
// could take for the whole export. It writes a hidden
// .FILE.NNN.syncd-export.tmp beside FILE (mode 0600) and links it into
// place once synced: killed, it leaves that hidden file alone, which the
// next export to FILE deletes, saying so; one an export is writing (its
// flock held) is left to it.
func TestKilledExportLeavesNoFileAtItsPath(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	strace := needStrace(t)
	dir, config := storedAngela(t)
	file := filepath.Join(dir, "angela.json")
	// strace kills the export (SIGKILL) as it syncs the file it wrote.
	killed := exec.Command(strace, "-f", "-qq", "-o", "/dev/null", "-e", "trace=fsync", "-e", "inject=fsync:signal=KILL:when=1",
		plainBin, "export", "-config", config, "-email", "angela7913@hotmail.com", "-out", file)
	out, err := killed.CombinedOutput()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || !ee.Sys().(syscall.WaitStatus).Signaled() {
		t.Fatalf("export under strace: %v, want it killed\n%s", err, out)
	}
	if _, err := os.Lstat(file); err == nil {
		t.Fatalf("a killed export left %s, a file the next export refuses; want nothing at -out's path until the export is whole", file)
	}
	hidden, _ := filepath.Glob(filepath.Join(dir, ".angela.json.*.syncd-export.tmp"))
	if len(hidden) != 1 {
		t.Fatalf("a killed export left %q; want one hidden .angela.json.NNN.syncd-export.tmp", hidden)
	}
	mustMode(t, hidden[0], 0o600)

	stdout, stderr, code := syncdWith(t, "", "export", "-config", config, "-email", "angela7913@hotmail.com", "-out", file)
	if code != 0 || strings.TrimSpace(stdout) != file {
		t.Fatalf("the next export -out: exit %d\n%s%s", code, stdout, stderr)
	}
	if want := "syncd export: deleted " + hidden[0] + ", the unfinished file of an export to angela.json that was killed before it was done\n"; !strings.Contains(stderr, want) {
		t.Errorf("the next export said:\n%s\nwant it to say %q", stderr, want)
	}
	mustMode(t, file, 0o600)
	if b, err := os.ReadFile(file); err != nil || !strings.Contains(string(b), "Angela Baker") {
		t.Errorf("%s: %v\n%s", file, err, b)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".angela.json*")); len(left) > 0 {
		t.Errorf("left beside the export: %q; want nothing", left)
	}

	// One an export is writing now, its flock held, is left to it.
	other := filepath.Join(dir, "other.json")
	busy := filepath.Join(dir, ".other.json.123.syncd-export.tmp")
	f, err := os.OpenFile(busy, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		t.Fatal(err)
	}
	if stdout, stderr, code := syncdWith(t, "", "export", "-config", config, "-email", "angela7913@hotmail.com", "-out", other); code != 0 || strings.Contains(stderr, "deleted") {
		t.Errorf("export beside a file another export writes: exit %d\n%s%s", code, stdout, stderr)
	}
	if _, err := os.Lstat(busy); err != nil {
		t.Errorf("an export deleted the file another export was writing: %v", err)
	}
}

// needStrace is strace's path, once it traces here (ptrace allowed); the
// test is skipped without it unless SYNCD_TEST_STRACE_REQUIRED is set.
func needStrace(t *testing.T) string {
	t.Helper()
	strace, err := exec.LookPath("strace")
	if err == nil {
		var out []byte
		if out, err = exec.Command(strace, "-f", "-qq", "-o", "/dev/null", "true").CombinedOutput(); err != nil {
			err = errors.New(strings.TrimSpace(string(out)))
		}
	}
	if err != nil {
		if os.Getenv("SYNCD_TEST_STRACE_REQUIRED") != "" {
			t.Fatalf("strace (apt-get install strace), to kill the binary at a given system call: %v", err)
		}
		t.Skipf("strace (apt-get install strace), to kill the binary at a given system call: %v", err)
	}
	return strace
}
