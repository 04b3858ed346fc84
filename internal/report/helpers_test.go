package report_test

import (
	"archive/zip"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// --- helpers

func openBook(t testing.TB, path string) *excelize.File {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func rows(t testing.TB, f *excelize.File, sheet string) [][]string {
	t.Helper()
	r, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func wantHeader(t testing.TB, r [][]string, want []string) {
	t.Helper()
	if len(r) == 0 || !slices.Equal(r[0], want) {
		t.Fatalf("header %q, want %q", r[0], want)
	}
}

// wantRow checks the first len(want) cells of row (as formatted).
func wantRow(t testing.TB, row []string, want ...string) {
	t.Helper()
	for i, w := range want {
		got := ""
		if i < len(row) {
			got = row[i]
		}
		if got != w {
			t.Errorf("column %d = %q, want %q (row %q)", i+1, got, w, row)
		}
	}
}

// wantDate checks that cell holds a real Excel date-time (a number with a
// date format) of wall time want.
func wantDate(t testing.TB, f *excelize.File, sheet, cell string, want time.Time) {
	t.Helper()
	raw, err := f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	serial, err := strconv.ParseFloat(raw, 64)
	if err != nil {
		t.Fatalf("%s!%s = %q: not a number", sheet, cell, raw)
	}
	got, err := excelize.ExcelDateToTime(serial, false)
	if err != nil {
		t.Fatal(err)
	}
	if d := got.Sub(want); d < -time.Second || d > time.Second {
		t.Errorf("%s!%s = %v, want %v", sheet, cell, got, want)
	}
	if typ, _ := f.GetCellType(sheet, cell); typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
		t.Errorf("%s!%s has type %v", sheet, cell, typ)
	}
}

func wantNumber(t testing.TB, f *excelize.File, sheet, cell string, want float64) {
	t.Helper()
	raw, _ := f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
	typ, _ := f.GetCellType(sheet, cell)
	if got, err := strconv.ParseFloat(raw, 64); err != nil || got != want ||
		(typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber) {
		t.Errorf("%s!%s = %q (type %v), want the number %v", sheet, cell, raw, typ, want)
	}
}

func wantFormula(t testing.TB, f *excelize.File, sheet, cell, want string) {
	t.Helper()
	got, err := f.GetCellFormula(sheet, cell)
	if err != nil || got != want {
		t.Errorf("%s!%s formula %q, %v; want %q", sheet, cell, got, err, want)
	}
}

// summaryMap reads the Summary sheet's tables as label (column A) -> the
// figures of its row (columns B to G), joined by a space. A label that is
// in two tables (Rightmove as a source and as a portal) keeps the last.
func summaryMap(t testing.TB, f *excelize.File) map[string]string {
	t.Helper()
	m := map[string]string{}
	for _, r := range rows(t, f, "Summary") {
		if len(r) > 0 && r[0] != "" {
			m[r[0]] = strings.TrimSpace(strings.Join(r[1:min(len(r), 7)], " "))
		}
	}
	return m
}

// hoursMap reads the leads per hour the Summary's chart draws (columns R
// and S).
func hoursMap(t testing.TB, f *excelize.File) map[string]string {
	t.Helper()
	m := map[string]string{}
	for _, r := range rows(t, f, "Summary")[1:] {
		if len(r) > 18 && r[17] != "" {
			m[r[17]] = r[18]
		}
	}
	return m
}

// zipParts reads every part of the workbook at path.
func zipParts(t testing.TB, path string) map[string]string {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	parts := map[string]string{}
	for _, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		parts[zf.Name] = string(b)
	}
	return parts
}

// wantLayout checks what GetRows cannot see: every detail sheet has a
// frozen header, an Excel table with banded rows and filter buttons, and
// prints landscape one page wide; and the workbook has charts charts.
func wantLayout(t testing.TB, path string, charts int) {
	t.Helper()
	n := 0
	for name, b := range zipParts(t, path) {
		if strings.HasPrefix(name, "xl/charts/chart") {
			n++
		}
		if strings.HasPrefix(name, "xl/tables/table") {
			for _, want := range []string{`<autoFilter ref="A\d:[A-Z]\d+"`, `name="TableStyleMedium2"`, `showRowStripes="(1|true)"`} {
				if !regexp.MustCompile(want).MatchString(b) {
					t.Errorf("%s lacks %s", name, want)
				}
			}
		}
		if !strings.HasPrefix(name, "xl/worksheets/sheet") || name == "xl/worksheets/sheet1.xml" {
			continue
		}
		for _, want := range []string{`<pane [^>]*state="frozen"`, `<pane [^>]*topLeftCell="A[23]"`, `<tablePart `,
			`<pageSetUpPr fitToPage="(1|true)"`, `<pageSetup [^>]*orientation="landscape"`, `<pageSetup [^>]*fitToWidth="1"`,
			`<pageSetup [^>]*fitToHeight="0"`, `<cols><col min="1" max="1" width="\d+" customWidth="1"[^>]*/><col min="2"`} {
			if !regexp.MustCompile(want).MatchString(b) {
				t.Errorf("%s lacks %s", name, want)
			}
		}
	}
	if n != charts {
		t.Errorf("%d charts, want %d", n, charts)
	}
}

// cellStyle is the style of sheet!cell.
func cellStyle(t testing.TB, f *excelize.File, sheet, cell string) *excelize.Style {
	t.Helper()
	id, err := f.GetCellStyle(sheet, cell)
	if err != nil {
		t.Fatal(err)
	}
	st, err := f.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// feedListed is the n-th feed import (from 1) listed on the Summary below
// the charts, from column I: agent, time, format, feed, records.
func feedListed(t testing.TB, f *excelize.File, n int) []string {
	t.Helper()
	for i, r := range rows(t, f, "Summary") {
		if len(r) > 8 && r[8] == "Feed imports" {
			all := rows(t, f, "Summary")
			if i+n < len(all) && len(all[i+n]) > 8 {
				return all[i+n][8:]
			}
			return nil
		}
	}
	return nil
}
