package report

import (
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/language"
)

// TestNumbersAreWrittenAsInTheZonesCountry: a zone's numbers are its
// country's, English where zoneLanguages names none; each zone it names
// is one time.LoadLocation knows (a misspelt one would be English, said
// nowhere), and its language one golang.org/x/text reads.
func TestNumbersAreWrittenAsInTheZonesCountry(t *testing.T) {
	t.Parallel()
	for zone, want := range map[string]string{
		"Europe/Copenhagen": "45.678 records; 1.083,4 a day; 5,6 hours",
		"Europe/Berlin":     "45.678 records; 1.083,4 a day; 5,6 hours",
		"Europe/Paris":      "45\u00a0678 records; 1\u00a0083,4 a day; 5,6 hours",
		"Europe/Zurich":     "45’678 records; 1’083.4 a day; 5.6 hours",
		"Europe/London":     "45,678 records; 1,083.4 a day; 5.6 hours",
		"UTC":               "45,678 records; 1,083.4 a day; 5.6 hours",
		"America/New_York":  "45,678 records; 1,083.4 a day; 5.6 hours",
	} {
		loc, err := time.LoadLocation(zone)
		if err != nil {
			t.Fatal(err)
		}
		p := readerNumbers(loc)
		got := p.Sprintf("%d records; %.1f a day; %s", 45678, 1083.44, howLong(p, 5*time.Hour+36*time.Minute))
		if got != want {
			t.Errorf("%s: %q, want %q", zone, got, want)
		}
	}
	for zone, lang := range zoneLanguages {
		if _, err := time.LoadLocation(zone); err != nil {
			t.Errorf("the zone %q of a reader's language: %v", zone, err)
		}
		if _, err := language.Parse(lang); err != nil {
			t.Errorf("the language %q of %s: %v", lang, zone, err)
		}
	}
}

// TestRowsLeftOutAreCountedAsTheReaderDoes: a sheet past Excel's
// 1,048,576 rows says how many it leaves out, in the numbers of
// report.time_zone's country ("1.006 more rows" in Danish).
func TestRowsLeftOutAreCountedAsTheReaderDoes(t *testing.T) {
	t.Parallel()
	LayoutOnly(t)
	loc, err := time.LoadLocation("Europe/Copenhagen")
	if err != nil {
		t.Fatal(err)
	}
	f := excelize.NewFile()
	defer f.Close()
	st, err := newStyles(f)
	if err != nil {
		t.Fatal(err)
	}
	sh, err := newStreamSheet(f, st, readerNumbers(loc), "Sheet1", "", []column{{Title: "N", Min: 5, Max: 5}})
	if err != nil {
		t.Fatal(err)
	}
	sh.maxRows = 5 // header, 3 rows, the note
	for i := 1; i <= 1009; i++ {
		if err := sh.row(unsized, i); err != nil {
			t.Fatal(err)
		}
	}
	if err := sh.close("none"); err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	if want := "1.006 more rows are not shown: a sheet holds at most 5 rows."; len(rows) != 5 || rows[4][0] != want {
		t.Errorf("rows %q, want the last %q", rows, want)
	}
}
