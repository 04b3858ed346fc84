package main_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestKilledReportOutLeavesItsRowsWhereTheCleanupLooks: `syncd report -out
// FILE` of a large day killed mid-way (kill -9, the OOM killer) left the
// rows it had spilled (the day's names, emails, phones and messages) in a
// hidden directory beside FILE, which only a report into that same folder
// deletes: in a folder no other report uses (~/Desktop), for ever. An -out
// report's rows spill into the reports directory (report.dir) instead,
// where syncd purge and the daemon's own cleanup delete what a killed
// report left once it is an hour old.
func TestKilledReportOutLeavesItsRowsWhereTheCleanupLooks(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	dir := t.TempDir()
	reports := filepath.Join(dir, "reports")
	desktop := filepath.Join(dir, "desktop")
	tmp := filepath.Join(dir, "tmp")
	for _, d := range []string{reports, desktop, tmp} {
		if err := os.Mkdir(d, 0o750); err != nil {
			t.Fatal(err)
		}
	}
	config := writeConfigWith(t, dir, "report:\n  dir: "+reports+"\n")
	makeDB(t, dir)
	day := seedYesterdaysSpill(t, filepath.Join(dir, "data", "syncd.db"))

	out := filepath.Join(desktop, "leads.xlsx")
	cmd := syncdCmd("report", "-config", config, "-date", day, "-out", out)
	cmd.Env = append(os.Environ(), "TMPDIR="+tmp)
	killOnceSpilled(t, cmd, tmp, reports, desktop)

	if left, _ := filepath.Glob(filepath.Join(desktop, ".*")); len(left) > 0 {
		t.Fatalf("a killed report -out left %q beside %s, the day's leads, which only a report into that folder deletes; "+
			"want them where the cleanup looks", left, out)
	}
	spills, _ := filepath.Glob(filepath.Join(reports, ".leads.xlsx.*.syncd-report.tmp"))
	if len(spills) != 1 {
		t.Fatalf("in the reports directory: %q; want the killed report's directory of spilled rows", spills)
	}
	files, _ := filepath.Glob(filepath.Join(spills[0], "*"))
	at := time.Now().Add(-2 * time.Hour)
	for _, p := range append(files, spills[0]) {
		if err := os.Chtimes(p, at, at); err != nil {
			t.Fatal(err)
		}
	}
	purged := syncdOK(t, "purge", "-config", config)
	if _, err := os.Stat(spills[0]); err == nil {
		t.Fatalf("%s is still there after syncd purge; want it deleted once an hour old\n%s", spills[0], purged)
	}
	if left, _ := os.ReadDir(tmp); len(left) > 0 {
		t.Errorf("the report left %d files in $TMPDIR; want none", len(left))
	}
	if left, _ := filepath.Glob(filepath.Join(reports, ".*")); len(left) > 0 {
		t.Errorf("left in the reports directory: %q", left)
	}
}
