package main_test

import (
	"database/sql"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// spillLeads is a day's leads enough for the Leads sheet to outgrow the
// 16 MiB excelize keeps of a streamed sheet in memory (StreamChunkSize):
// beyond it, it writes the rows on into a temporary file. A lead's row is
// some 1,080 bytes of the sheet's XML, so rows spill from about 15,500
// leads; 30,000 leave time to kill the report once they have.
const spillLeads = 30000

// TestKilledReportLeavesNoLeadsInTMPDIR: `syncd report` of a large day
// killed mid-way (kill -9, the OOM killer, a power cut) left the rows
// excelize had spilled from memory, a file of the day's names, emails,
// phones and messages, in $TMPDIR (/tmp) for ever: outside the reports
// directory, where neither report.keep_days, erase nor the cleanup of
// temporary reports reaches (the unit's PrivateTmp covers the daemon, not
// a report run by hand). They are written into a directory of the
// report's own beside the workbook (.leads-DAY.xlsx.NNN.syncd-report.tmp,
// mode 0700); what a killed report left there, its flock no report's any
// more, is deleted by the next report.
func TestKilledReportLeavesNoLeadsInTMPDIR(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	dir := t.TempDir()
	reports := filepath.Join(dir, "reports")
	tmp := filepath.Join(dir, "tmp")
	if err := os.Mkdir(tmp, 0o700); err != nil {
		t.Fatal(err)
	}
	config := writeConfigWith(t, dir, "report:\n  dir: "+reports+"\n")
	makeDB(t, dir)
	day := seedYesterdaysSpill(t, filepath.Join(dir, "data", "syncd.db"))

	cmd := syncdCmd("report", "-config", config, "-date", day)
	cmd.Env = append(os.Environ(), "TMPDIR="+tmp)
	killOnceSpilled(t, cmd, tmp, reports)

	if left, _ := os.ReadDir(tmp); len(left) > 0 {
		var names []string
		for _, e := range left {
			names = append(names, e.Name())
		}
		t.Fatalf("a killed report left in $TMPDIR %s; want nothing there (the day's leads, which no cleanup of syncd reaches)", strings.Join(names, " "))
	}
	spills, _ := filepath.Glob(filepath.Join(reports, ".leads-"+day+".xlsx.*.syncd-report.tmp"))
	if len(spills) != 1 {
		t.Fatalf("a killed report left in the reports directory %q; want one directory of its temporary files", spills)
	}
	spill := spills[0]
	if st, err := os.Stat(spill); err != nil || !st.IsDir() || st.Mode().Perm() != 0o700 {
		t.Fatalf("%s: %v, %v; want a directory of mode 0700", spill, st, err)
	}
	files, _ := filepath.Glob(filepath.Join(spill, "*"))
	if len(files) == 0 {
		t.Fatalf("%s is empty; want the rows spilled", spill)
	}
	if b, err := os.ReadFile(files[0]); err != nil || !strings.Contains(string(b), "@hotmail.com") {
		t.Fatalf("%s: %v; want the leads' rows in it (names, emails, phones)\n%.300s", files[0], err, b[len(b)/2:])
	}

	// The next report: no report holds its flock, the one that made it
	// killed; it goes at once.
	cmd = syncdCmd("report", "-config", config, "-date", day)
	cmd.Env = append(os.Environ(), "TMPDIR="+tmp)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("report: %v\n%s", err, out)
	}
	if _, err := os.Stat(spill); err == nil {
		t.Fatalf("%s is still there after the next report; want it deleted, its report killed", spill)
	}
	if want := "deleted the spilled rows of a report that was killed before it was done path=" + fieldValue(spill); !strings.Contains(string(out), want) {
		t.Errorf("the next report said:\n%s\nwant it to say %q", out, want)
	}
	if left, _ := filepath.Glob(filepath.Join(reports, ".*")); len(left) > 0 {
		t.Errorf("left in the reports directory: %q; want no temporary file", left)
	}
	if left, _ := os.ReadDir(tmp); len(left) > 0 {
		t.Errorf("reports left %d files in $TMPDIR; want none", len(left))
	}
}

// killOnceSpilled starts cmd, a report, and kills it (SIGKILL) once it
// has written rows it spilled into a file, in a directory of its own in
// one of dirs or in tmp (its $TMPDIR).
func killOnceSpilled(t *testing.T, cmd *exec.Cmd, tmp string, dirs ...string) {
	t.Helper()
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	spilled := func() bool { // a file of rows, written to
		there, _ := filepath.Glob(filepath.Join(tmp, "*"))
		for _, d := range dirs {
			here, _ := filepath.Glob(filepath.Join(d, ".*.syncd-report.tmp", "*"))
			there = append(there, here...)
		}
		for _, p := range there {
			if st, err := os.Stat(p); err == nil && st.Size() > 0 {
				return true
			}
		}
		return false
	}
	for !spilled() {
		select {
		case err := <-done:
			t.Fatalf("report ended (%v) before it spilled rows to a file: make spillLeads larger\n%s", err, stderr.String())
		case <-time.After(time.Millisecond):
		}
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-done
}

// seedYesterdaysSpill seeds the database at path with spillLeads leads
// over yesterday in Copenhagen, the day a report of the example
// configuration reads, and returns that day as -date takes it.
func seedYesterdaysSpill(t *testing.T, path string) string {
	loc := mustZone(t, "Europe/Copenhagen")
	yesterday := time.Now().In(loc).AddDate(0, 0, -1)
	seedSpillLeads(t, path, time.Date(yesterday.Year(), yesterday.Month(), yesterday.Day(), 0, 0, 0, 0, loc), spillLeads)
	return yesterday.Format(time.DateOnly)
}

// seedSpillLeads inserts n Lokalebasen enquiries spread over the 24 hours
// from from, each with a name, email, phone and message, straight into
// the database at path (as the report's benchmark seeds a day): through
// the intake they would take minutes.
func seedSpillLeads(t *testing.T, path string, from time.Time, n int) {
	t.Helper()
	raw, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	step := (24 * time.Hour).Microseconds() / int64(n)
	_, err = raw.Exec(`
WITH RECURSIVE seq(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM seq WHERE i + 1 < ?1)
INSERT INTO events (source, kind, type, idem_key, body, parse, received_at, last_delivery_at, map_state)
SELECT 'lokalebasen', 'lokalebasen', 'enquiry_created', 'k' || i,
  CAST(printf('{"event_type":"enquiry_created","payload":{"location":{"id":"%d","external_key":"EJ-%d","href":"https://www.lokalebasen.dk/leje/kontorlokaler/2100-kobenhavn-o/aebelogade-%d"},"enquiry":{"type":"direct"},"client":{"email":"angela%d@hotmail.com","name":"Angela Baker %d","company":"Bakers Inc.","phone":"52 25 05 59"},"comment":"I would like something with a grand view over the city."}}', i, i, i, i, i) AS BLOB),
  'strict', ts, ts, 'mapped'
FROM (SELECT i, strftime('%Y-%m-%dT%H:%M:%S', ?2 + (i * ?3) / 1000000, 'unixepoch') || '.' || printf('%06d', (i * ?3) % 1000000) || 'Z' AS ts FROM seq)`,
		n, from.Unix(), step)
	if err != nil {
		t.Fatalf("seed leads: %v", err)
	}
}

// TestLargeReportOnAFullDiskSaysWhatToDo: a large day's rows spill into
// the reports directory (TestKilledReportLeavesNoLeadsInTMPDIR), so on a
// full disk (a small tmpfs, for real) it is writing them, not the
// workbook, that finds no room. It says what writing the workbook says
// (TestReportOnAFullDiskSaysWhatToDo): the workbook and the directory, to
// free space there or set report.dir elsewhere, that nothing was written;
// and it leaves nothing there.
func TestLargeReportOnAFullDiskSaysWhatToDo(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	needTmpfs(t)
	dir := t.TempDir()
	reports := filepath.Join(dir, "reports")
	if err := os.Mkdir(reports, 0o750); err != nil {
		t.Fatal(err)
	}
	config := writeConfigWith(t, dir, "report:\n  dir: "+reports+"\n")
	makeDB(t, dir)
	day := seedYesterdaysSpill(t, filepath.Join(dir, "data", "syncd.db"))
	script := `mount -t tmpfs -o size=1m tmpfs "$1" || exit 90
dir=$1; shift
"$@"; rc=$?
ls -A "$dir" | tr '\n' ' '
exit $rc`
	cmd := exec.Command("unshare", "-rm", "sh", "-c", script, "sh", reports,
		plainBin, "report", "-config", config, "-date", day)
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	if code == 90 {
		t.Fatalf("mount the tmpfs: %s", stderr.String())
	}
	if code != 1 {
		t.Errorf("report on a full disk: exit %d, want 1\n%s", code, stderr.String())
	}
	for _, want := range []string{
		"no room left for leads-" + day + ".xlsx in " + reports,
		"free space there (df -h " + sq(reports) + ")",
		"nothing was written (an earlier file of that day stays as it was)",
	} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("report on a full disk says:\n%s\nwant it to say %q", stderr.String(), want)
		}
	}
	if left := strings.TrimSpace(stdout.String()); left != "" {
		t.Errorf("left in the reports directory: %q; want nothing", left)
	}
}

// TestServiceDeletesWhatAKilledReportAsRootSpilled: `sudo syncd report`
// of a large day, killed mid-way, left its directory of spilled rows in
// the reports directory root's (0700), the rows in it root's too: the
// daemon, running as the database's owner, could neither list nor delete
// them, and passed over them in silence, the day's leads kept past every
// retention. The directory is given to the reports directory's owner as
// it is made, so that the service's next report deletes it, root's files
// in it included, once an hour old.
func TestServiceDeletesWhatAKilledReportAsRootSpilled(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	as := otherUser(t)
	dir, bin, config := accessDir(t, as, "report:\n  dir: DIR/data/reports\n")
	makeDB(t, dir)
	data := filepath.Join(dir, "data")
	reports := filepath.Join(data, "reports")
	if err := os.Mkdir(reports, 0o750); err != nil {
		t.Fatal(err)
	}
	day := seedYesterdaysSpill(t, filepath.Join(data, "syncd.db"))
	filepath.Walk(data, func(p string, _ os.FileInfo, _ error) error { return os.Chown(p, int(as.Uid), int(as.Gid)) })

	tmp := t.TempDir()
	cmd := exec.Command(bin, "report", "-config", config, "-date", day)
	cmd.Env = append(os.Environ(), "TMPDIR="+tmp)
	killOnceSpilled(t, cmd, tmp, reports)
	spills, _ := filepath.Glob(filepath.Join(reports, ".leads-"+day+".xlsx.*.syncd-report.tmp"))
	if len(spills) != 1 {
		t.Fatalf("the report as root, killed, left in the reports directory %q; want one directory of its rows", spills)
	}
	at := time.Now().Add(-2 * time.Hour)
	files, _ := filepath.Glob(filepath.Join(spills[0], "*"))
	for _, p := range append(files, spills[0]) {
		if err := os.Chtimes(p, at, at); err != nil {
			t.Fatal(err)
		}
	}

	service := exec.Command(bin, "report", "-config", config, "-date", day)
	service.SysProcAttr = &syscall.SysProcAttr{Credential: as}
	out, err := service.CombinedOutput()
	if err != nil {
		t.Fatalf("report as the service's user: %v\n%s", err, out)
	}
	if _, err := os.Stat(spills[0]); err == nil {
		t.Errorf("%s, left by the report as root two hours ago, is still there after the service's report; want it deleted\n%s", spills[0], out)
	}
	if strings.Contains(string(out), "permission denied") {
		t.Errorf("the service's report says:\n%s\nwant no permission denied", out)
	}
}
