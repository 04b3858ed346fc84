package main_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestReportOnAFullDiskSaysWhatToDo: `syncd report` into a reports
// directory whose disk is full (a small tmpfs, for real: needTmpfs) said
// only "write workbook: write /…/.leads-2026-12-03.xlsx.3317537261.
// syncd-report.tmp: no space left on device": a temporary file's name, no
// word of what to do, nor of the day's earlier workbook. It names the
// workbook and the directory, says to free space there (df -h DIR) or set
// report.dir elsewhere, and that nothing was written; the earlier
// workbook of the day is whole, and no temporary file is left.
func TestReportOnAFullDiskSaysWhatToDo(t *testing.T) {
	t.Parallel()
	needTmpfs(t)
	dir := t.TempDir()
	reports := filepath.Join(dir, "reports")
	if err := os.Mkdir(reports, 0o750); err != nil {
		t.Fatal(err)
	}
	config := writeConfigWith(t, dir, "report:\n  dir: "+reports+"\n")
	makeDB(t, dir)
	day := time.Now().In(mustZone(t, "Europe/Copenhagen")).AddDate(0, 0, -1).Format(time.DateOnly)
	// In a mount namespace of its own: the day's report made once, the
	// disk then filled, and the same report made again.
	script := `mount -t tmpfs -o size=256k tmpfs "$1" || exit 90
dir=$1; shift
"$@" >/dev/null || exit 91
wc -c < "$dir/leads-` + day + `.xlsx"
head -c 1048576 /dev/zero > "$dir/fill" 2>/dev/null
"$@"; rc=$?
wc -c < "$dir/leads-` + day + `.xlsx"
ls -A "$dir" | tr '\n' ' '
exit $rc`
	cmd := exec.Command("unshare", "-rm", "sh", "-c", script, "sh", reports,
		syncdBin, "report", "-config", config, "-date", day)
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	if code >= 90 {
		t.Fatalf("the first report on the tmpfs: exit %d\n%s%s", code, stdout.String(), stderr.String())
	}
	if code != 1 {
		t.Errorf("report on a full disk: exit %d, want 1\n%s", code, stderr.String())
	}
	for _, want := range []string{
		"no room left for leads-" + day + ".xlsx in " + reports,
		"free space there (df -h " + sq(reports) + ")",
		"or set report.dir to a disk with room",
		"nothing was written (an earlier file of that day stays as it was)",
	} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("report on a full disk says:\n%s\nwant it to say %q", stderr.String(), want)
		}
	}
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	if len(lines) != 3 {
		t.Fatalf("the script's output: %q", stdout.String())
	}
	if before, after := strings.TrimSpace(lines[0]), strings.TrimSpace(lines[1]); before != after || before == "0" {
		t.Errorf("the day's earlier workbook was %s bytes, %s after the run on a full disk; want it whole", before, after)
	}
	if left := strings.Fields(lines[2]); strings.Contains(lines[2], ".tmp") {
		t.Errorf("left in the reports directory: %q; want no temporary file", left)
	}
}
