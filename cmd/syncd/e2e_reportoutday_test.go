package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestReportOutADirectoryNamesTheDaysFileOfYesterday: `syncd report -out
// ~/Desktop`, the day left to its default (yesterday) or given as today or
// yesterday, was told to give "-out ~/Desktop/leads-YYYY-MM-DD.xlsx", as
// it is, while the day was known: only -date 2026-11-28 named its file.
// Each names the file of the day it would report, in report.time_zone.
func TestReportOutADirectoryNamesTheDaysFileOfYesterday(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	config := writeConfig(t, dir)
	makeDB(t, dir)
	desktop := filepath.Join(dir, "Desktop")
	if err := os.Mkdir(desktop, 0o750); err != nil {
		t.Fatal(err)
	}
	zone, err := time.LoadLocation("Europe/Copenhagen") // report.time_zone's default
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		date string
		back int // days before today
	}{{"", 1}, {"yesterday", 1}, {"today", 0}} {
		args := []string{"report", "-config", config, "-out", desktop}
		if c.date != "" {
			args = append(args, "-date", c.date)
		}
		before := time.Now().In(zone).AddDate(0, 0, -c.back).Format(time.DateOnly)
		_, stderr, code := syncdRun(t, args...)
		after := time.Now().In(zone).AddDate(0, 0, -c.back).Format(time.DateOnly) // midnight may pass meanwhile
		said := func(day string) bool {
			return strings.Contains(stderr, "is a directory: name the workbook to write in it, e.g. -out "+
				sq(filepath.Join(desktop, "leads-"+day+".xlsx")))
		}
		if code != 2 || !said(before) && !said(after) {
			t.Errorf("report -out DIR -date %q: exit %d, want 2 naming leads-%s.xlsx\n%s", c.date, code, after, stderr)
		}
	}
	if left, _ := os.ReadDir(desktop); len(left) != 0 {
		t.Errorf("report wrote into the directory: %v", left)
	}
}
