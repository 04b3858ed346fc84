package main_test

import (
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// TestErasedWorkbookKeepsItsAlarms: the day's workbook was made while the
// CRM adapter was paused on a rejected token, its Summary opening with the
// alarm. The operator then fixed the token, the leads went out, and a
// person of that day asked to be erased: erase made the workbook again
// without them, and without the alarm too (it read none), so the kept copy
// of the day no longer said that the CRM had stopped taking leads. The
// rewritten workbook keeps the alarms of when it was made, and the person
// is gone from it.
func TestErasedWorkbookKeepsItsAlarms(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	p := startPausedOnToken(t) // one EAF lead posted, the adapter paused on 401
	postTestdata(t, p.d, "lokalebasen/enquiry_created.json")
	if err := p.d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	evs := syncdJSON(t, "events", "list", "-json", "-config", p.config) // newest first: the Lokalebasen lead
	at, err := time.Parse(time.RFC3339Nano, evs[0]["received_at"].(string))
	if err != nil {
		t.Fatal(err)
	}
	day := at.In(mustZone(t, "Europe/Copenhagen")).Format(time.DateOnly)
	out, stderr, code := syncdRun(t, "report", "-date", day, "-config", p.config)
	if code != 0 {
		t.Fatalf("report: exit %d\n%s%s", code, out, stderr)
	}
	path := strings.TrimSpace(out)
	const paused = ": CRM adapter hubspot is paused"
	if text := workbookText(t, path); !strings.Contains(text, paused) || !strings.Contains(text, "angela7913@hotmail.com") {
		t.Fatalf("the day's workbook, made while paused, lacks the alarm or the lead:\n%s", text)
	}

	// The operator fixes the token; the leads go out.
	p.fixToken(t)
	if out, err := syncdCmd("sync", "-resume", "-config", p.config).CombinedOutput(); err != nil {
		t.Fatalf("sync -resume: %v\n%s", err, out)
	}
	out, stderr, code = syncdRun(t, "erase", "-config", p.config, "-email", "angela7913@hotmail.com")
	if code != 0 || !strings.Contains(out, "report rewritten: "+path) {
		t.Fatalf("erase: exit %d, want %s rewritten\n%s%s", code, path, out, stderr)
	}
	text := workbookText(t, path)
	if strings.Contains(text, "angela7913") || strings.Contains(text, "Baker") {
		t.Errorf("the rewritten workbook still names the person erased:\n%s", text)
	}
	if !strings.Contains(text, paused) {
		t.Errorf("the rewritten workbook lost the day's alarm %q:\n%s", paused, text)
	}
}

// summaryAlarms are the alarm banners of the Summary of the workbook at
// path, each on one line (the report breaks their lines at spaces).
func summaryAlarms(t *testing.T, path string) []string {
	t.Helper()
	var alarms []string
	for _, row := range summaryRows(t, path) {
		if len(row) > 0 && strings.HasPrefix(row[0], "ALARM: ") {
			alarms = append(alarms, strings.ReplaceAll(row[0], "\n", " "))
		}
	}
	return alarms
}

// workbookText is every cell of every sheet of the workbook at path, a
// line per row.
func workbookText(t *testing.T, path string) string {
	t.Helper()
	names, rows := workbookSheets(t, path)
	var b strings.Builder
	for _, sheet := range names {
		b.WriteString("== " + sheet + "\n")
		for _, r := range rows[sheet] {
			b.WriteString(strings.Join(r, " | ") + "\n")
		}
	}
	return b.String()
}

// workbookSheets is the workbook at path's sheet names, in order, and
// each sheet's rows by name.
func workbookSheets(t *testing.T, path string) ([]string, map[string][][]string) {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	names := f.GetSheetList()
	rows := map[string][][]string{}
	for _, sheet := range names {
		if rows[sheet], err = f.GetRows(sheet); err != nil {
			t.Fatal(err)
		}
	}
	return names, rows
}

// summaryRows is the rows of the workbook at path's Summary sheet.
func summaryRows(t *testing.T, path string) [][]string {
	t.Helper()
	_, rows := workbookSheets(t, path)
	return rows["Summary"]
}
