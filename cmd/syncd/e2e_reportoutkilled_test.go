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

// TestKilledReportOutLeavesNoWorkbookTheNextReportKeeps: `syncd report
// -out FILE` killed in its last phase (kill -9, the OOM killer, a power
// cut) left its hidden temporary workbook, .FILE.NNN.syncd-report.tmp,
// the day's leads in it, beside FILE, and the next report -out FILE left
// it there for an hour more (it might have been a report still writing),
// saying nothing: outside report.dir, where no purge looks, an operator
// who ran the next one at once kept it for good. A report holds an flock
// on what it writes; the next report deletes one whose flock nothing
// holds at once, and says so, as export -out does its own.
func TestKilledReportOutLeavesNoWorkbookTheNextReportKeeps(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	strace := needStrace(t)
	dir, config := storedAngela(t)
	desk := filepath.Join(dir, "desk")
	if err := os.Mkdir(desk, 0o750); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(desk, "leads.xlsx")
	// strace kills the report (SIGKILL) as it syncs the workbook it wrote.
	killed := exec.Command(strace, "-f", "-qq", "-o", "/dev/null", "-e", "trace=fsync", "-e", "inject=fsync:signal=KILL:when=1",
		plainBin, "report", "-config", config, "-out", file)
	out, err := killed.CombinedOutput()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || !ee.Sys().(syscall.WaitStatus).Signaled() {
		t.Fatalf("report under strace: %v, want it killed\n%s", err, out)
	}
	hidden, _ := filepath.Glob(filepath.Join(desk, ".leads.xlsx.*.syncd-report.tmp"))
	if len(hidden) != 1 {
		t.Fatalf("a killed report left %q; want one hidden .leads.xlsx.NNN.syncd-report.tmp", hidden)
	}

	stdout, stderr, code := syncdWith(t, "", "report", "-config", config, "-out", file)
	if code != 0 || strings.TrimSpace(stdout) != file {
		t.Fatalf("the next report -out: exit %d\n%s%s", code, stdout, stderr)
	}
	if _, err := os.Stat(hidden[0]); err == nil {
		t.Errorf("%s, the workbook of a report killed before it was done, is still there after the next report -out %s; want it deleted", hidden[0], file)
	}
	if want := "deleted the unfinished workbook of a report that was killed before it was done path=" + fieldValue(hidden[0]); !strings.Contains(stderr, want) {
		t.Errorf("the next report said:\n%s\nwant it to say %q", stderr, want)
	}
	if left, _ := filepath.Glob(filepath.Join(desk, ".*")); len(left) > 0 {
		t.Errorf("left beside %s: %q; want nothing", file, left)
	}
}
