package main_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// storeOldLeads stores p's Estate Agent Feeds lead and their body that
// did not parse as received at, in the database of a configuration
// configYAML wrote in dir, the lead mapped to nothing (done with, so the
// retention may purge it).
func storeOldLeads(t *testing.T, dir string, p e2ePerson, at time.Time) {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(dir, "data", "syncd.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	in := db.NewIntake(sqlite.IntakeOptions{})
	run, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { in.Run(run); close(done) }()
	defer func() { stop(); <-done }()
	d := p.deliveries(t)
	lead, err := in.Store(ctx, syncd.Incoming{Source: "eaf", Kind: syncd.KindEAF, Type: "email_lead", Key: "eaf:" + p.eafID,
		Body: []byte(d[2][1]), Parse: syncd.ParseStrict, ReceivedAt: at})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.RecordMapping(ctx, lead.ID, syncd.MapIgnored, "", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := in.Store(ctx, syncd.Incoming{Source: "eaf", Kind: syncd.KindEAF, Body: []byte(d[3][1]),
		Quarantine: true, Reason: "invalid JSON", ReceivedAt: at}); err != nil {
		t.Fatal(err)
	}
}

// TestPurgeRemakesTheWorkbooksOfWhatItPurged: with report.keep_days
// longer than retention.event_days, the workbook of a day whose leads the
// purge dropped is made again without them, and `syncd purge` deletes the
// workbooks past report.keep_days: it used to leave both, so a person's
// name, email and phone stayed in report.dir for keep_days whatever the
// retention said, where neither erase nor export could find them any more
// (they look the person up in the database, whose bodies were purged).
func TestPurgeRemakesTheWorkbooksOfWhatItPurged(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	dir := t.TempDir()
	config := writeConfigWith(t, dir, "retention:\n  event_days: 30\n  quarantine_days: 30\nreport:\n  keep_days: 90\n")
	loc, _ := time.LoadLocation("Europe/Copenhagen")
	day := time.Now().In(loc).AddDate(0, 0, -40)
	day = time.Date(day.Year(), day.Month(), day.Day(), 12, 0, 0, 0, loc)
	storeOldLeads(t, dir, e2eJane, day)
	reports := filepath.Join(dir, "data", "reports")
	listed := filepath.Join(reports, "leads-"+day.Format(time.DateOnly)+".xlsx")
	old := filepath.Join(reports, "leads-"+day.AddDate(0, 0, -60).Format(time.DateOnly)+".xlsx")
	syncdOK(t, "report", "-config", config, "-date", day.Format(time.DateOnly))
	syncdOK(t, "report", "-config", config, "-date", day.AddDate(0, 0, -60).Format(time.DateOnly))
	if hits := e2eHits(t, reports, e2eJane.needles()); len(hits) == 0 {
		t.Fatal("the workbook does not list the person before the purge: the test proves nothing")
	}

	out := syncdOK(t, "purge", "-config", config)
	if !strings.Contains(out, "purged: 1 event body, 1 quarantined body") {
		t.Errorf("purge said:\n%s", out)
	}
	if hits := e2eHits(t, filepath.Join(dir, "data"), e2eJane.needles()); len(hits) > 0 {
		t.Errorf("the purged person is still in the data directory: %v\npurge said:\n%s", hits, out)
	}
	if _, err := os.Stat(listed); err != nil {
		t.Errorf("the workbook of the purged leads' day, kept by report.keep_days, is gone: %v", err)
	}
	if !strings.Contains(out, "report rewritten: "+listed) {
		t.Errorf("purge does not name the workbook it made again:\n%s", out)
	}
	if _, err := os.Stat(old); err == nil {
		t.Errorf("%s, past report.keep_days, is still there after syncd purge:\n%s", filepath.Base(old), out)
	}
	if !strings.Contains(out, "report deleted: "+old) {
		t.Errorf("purge does not name the workbook it deleted:\n%s", out)
	}
}

// TestRestoresFirstPurgeSaysTheKeptWorkbookWasMadeAgain: the reports
// directory held the workbook of a day made after the backup was taken,
// which the restored database does not record. The first start on the
// restore purged that day's leads (past retention.event_days) and made
// the workbook again without them, and its heading said only "made" at
// that start: a manager comparing it with the copy mailed then (a lead
// more) had nothing to tell why, and syncd status named it the last
// report, made then. It says when it was made (the file's time) and that
// it was made again without what the purge removed, and keeps that time.
func TestRestoresFirstPurgeSaysTheKeptWorkbookWasMadeAgain(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	dir := t.TempDir()
	config := writeConfigWith(t, dir, "retention:\n  event_days: 30\n  quarantine_days: 30\nreport:\n  keep_days: 90\n")
	loc := mustZone(t, "Europe/Copenhagen")
	day := time.Now().In(loc).AddDate(0, 0, -40)
	day = time.Date(day.Year(), day.Month(), day.Day(), 12, 0, 0, 0, loc)
	storeOldLeads(t, dir, e2eJane, day)
	backup := backUp(t, config)
	kept := strings.TrimSpace(syncdOK(t, "report", "-config", config, "-date", day.Format(time.DateOnly)))
	made := time.Date(day.Year(), day.Month(), day.Day()+1, 6, 0, 4, 0, loc) // the morning after, as the daemon makes it
	if err := os.Chtimes(kept, made, made); err != nil {
		t.Fatal(err)
	}

	restore(t, backup, filepath.Join(dir, "data", "syncd.db"))
	d := start(t, config)
	waitFor(t, "the first start's purge to make the workbook again", func() bool {
		return strings.Contains(d.log(), "retention purge: report made again without what it purged")
	})
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if hits := e2eHits(t, filepath.Join(dir, "data", "reports"), e2eJane.needles()); len(hits) > 0 {
		t.Fatalf("the purged person is still in the reports directory: %v", hits)
	}
	// Nor does its record pass for a report made at that start (the 26 h
	// alert on the last report's time would hold off on it).
	out, _, _ := syncdRun(t, "status", "-config", config)
	if want := "last report   " + made.Format("2006-01-02 15:04:05 -07:00"); !strings.Contains(out, want) {
		t.Errorf("status after the first start on the restore; want %q:\n%s", want, out)
	}
	f, err := excelize.OpenFile(kept)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	heading, _ := f.GetCellValue("Summary", "A2")
	if want := "made " + made.Format("2006-01-02 15:04 MST") + " · made again "; !strings.Contains(heading, want) {
		t.Errorf("the kept workbook made again by the first start's purge says %q; want %q and when", heading, want)
	}
}
