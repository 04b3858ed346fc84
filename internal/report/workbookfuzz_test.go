package report_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/syncd-dev/syncd/internal/mapping"
	"github.com/syncd-dev/syncd/internal/report"
	"github.com/syncd-dev/syncd/internal/sender"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// FuzzWorkbookText writes a lead whose every text field holds lit (the
// inside of a JSON string as a sender writes it: escapes, lone surrogates,
// control characters, a leading = or +) into a day's workbook (seeds:
// below, plus testdata/fuzz/FuzzWorkbookText). The workbook must open, run
// no formula but its own links, and show a plain text as sent.
func FuzzWorkbookText(f *testing.F) {
	report.LayoutOnly(f)
	for _, s := range []string{
		"Angela Baker", `=HYPERLINK(\"http://evil.example\",\"click\")`, "+45 52 25 05 59", "-2+3", "@SUM(A1:A9)",
		`\u0000\u0001\u001f`, `\ufffe\uffff`, `\ud800 lone \udc00`, "tab\\there\\r\\nline", "_x0041_ literal",
		strings.Repeat("a", 32768), strings.Repeat(`\ud83d\ude42`, 17000), `<b>bold</b> &amp; more`,
	} {
		f.Add(s)
	}
	loc := copenhagen(f)
	db := openDB(f) // one store per worker: opening one per input took most of the time
	day := time.Date(2026, 11, 2, 0, 0, 0, 0, loc)
	f.Fuzz(func(t *testing.T, lit string) {
		var want string
		body := []byte(`{"eaf_type":"email_lead","eaf_id":"L1","email_source":"` + lit + `","contact_name":"` + lit +
			`","contact_email":"` + lit + `","contact_phone":"` + lit + `","contact_message_flat":"` + lit +
			`","contact_message_html":"` + lit + `","eaf_reference":"` + lit + `","eaf_portal_reference":"` + lit + `"}`)
		if json.Unmarshal([]byte(`"`+lit+`"`), &want) != nil || sender.Decode(syncd.KindEAF, body, 0).Reason != "" {
			return
		}
		day = day.AddDate(0, 0, 1) // a day of its own in the worker's store
		insertEvent(t, db, event{kind: "eaf", typ: "email_lead", body: body, at: day.Add(10 * time.Hour)})
		path, err := report.Make(context.Background(), report.Day{Year: day.Year(), Month: day.Month(), Day: day.Day()},
			report.Options{Store: db, Dir: t.TempDir(), Location: loc, HTMLText: mapping.HTMLText, SplitName: mapping.SplitName,
				Now: func() time.Time { return day.AddDate(0, 0, 1).Add(6 * time.Hour) }})
		if err != nil {
			t.Fatal(err)
		}
		book := openBook(t, path)
		shown := false
		for _, sheet := range book.GetSheetList() {
			for i, row := range rows(t, book, sheet) {
				for j, v := range row {
					cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
					if fm, err := book.GetCellFormula(sheet, cell); err != nil || (fm != "" && !strings.HasPrefix(fm, "HYPERLINK(")) {
						t.Fatalf("%s!%s runs %q (%v)", sheet, cell, fm, err)
					}
					shown = shown || (sheet == report.SheetLeads && strings.Contains(v, want))
				}
			}
		}
		if plain(want) && !shown {
			t.Fatalf("the Leads sheet does not show %q", want)
		}
	})
}

// plain reports whether s is short printable text that every column shows
// as sent: no markup, no spaces to collapse, at least a letter.
func plain(s string) bool {
	return s != "" && utf8.RuneCountInString(s) <= 40 && strings.TrimSpace(s) == s && !strings.Contains(s, "  ") &&
		!strings.ContainsAny(s, "<>&\ufffd") && strings.IndexFunc(s, func(r rune) bool { return !unicode.IsPrint(r) && r != ' ' }) < 0
}
