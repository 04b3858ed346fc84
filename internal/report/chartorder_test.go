package report_test

import (
	"context"
	"encoding/xml"
	"fmt"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/report"
)

// TestFailuresChartReadsDownAsTheTable: the chart of failed submissions
// per portal stood beside the Portal health table with its bars the other
// way round: a bar chart's categories run up from its value axis, so
// "Boligportal", first in the table, was the chart's bottom bar and
// "Aarhus Lejeboliger", last, its top. Printed (by LibreOffice, to PDF),
// its labels read down in the table's order, and its counts (0, 1, 2, 3)
// are still below the bars. It needs LibreOffice (soffice) and pdftotext
// (poppler-utils): without them, or with -short, it is skipped.
func TestFailuresChartReadsDownAsTheTable(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("LibreOffice takes seconds to print a workbook")
	}
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		t.Skip("no LibreOffice (soffice) to print with")
	}
	pdftotext, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Skip("no pdftotext (poppler-utils) to read the print with")
	}
	loc, err := time.LoadLocation("Europe/Copenhagen")
	if err != nil {
		t.Fatal(err)
	}
	want := danishNames["Europe/Copenhagen"]
	db := openDB(t)
	day := time.Date(2026, 12, 1, 0, 0, 0, 0, loc)
	for i, name := range want {
		for k := range 1 + i%3 { // bars of 1, 2 and 3
			submission(t, db, loc, day.Add(time.Duration(9*60+i*10+k)*time.Minute), name, fmt.Sprint(7000+i*10+k), "error", "ERR_MISSING_PRICE")
		}
	}
	insertEvent(t, db, event{kind: "eaf", typ: "email_lead", body: fixture(t, "eaf/email_lead.json"), at: day.Add(10 * time.Hour)})
	dir := t.TempDir()
	path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 12, Day: 1}, report.Options{Store: db,
		Out: filepath.Join(dir, "r.xlsx"), Location: loc, Now: func() time.Time { return day.Add(30 * time.Hour) }})
	if err != nil {
		t.Fatal(err)
	}
	if got := listedOf(summaryTable(t, openBook(t, path), "Portal health"), 0, want); !slices.Equal(got, want) {
		t.Fatalf("the Portal health table lists %q, want %q", got, want)
	}
	// A profile of its own: another LibreOffice running takes the job over
	// and, with --headless, prints nothing. A LibreOffice that hangs fails
	// the test rather than holding up the suite.
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, soffice, "-env:UserInstallation=file://"+filepath.Join(dir, "profile"), "--headless", "--norestore",
		"--convert-to", "pdf", "--outdir", dir, path)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v: %s", err, out)
	}
	out, err := exec.Command(pdftotext, "-f", "1", "-l", "1", "-bbox", filepath.Join(dir, "r.pdf"), "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	// The words as printed, in the order drawn: the chart's title, then
	// its labels and counts.
	type word struct {
		Y    float64 `xml:"yMin,attr"`
		Text string  `xml:",chardata"`
	}
	var words []word
	for _, m := range regexp.MustCompile(`<word [^>]*>[^<]*</word>`).FindAllString(string(out), -1) {
		var w word
		if err := xml.Unmarshal([]byte(m), &w); err != nil {
			t.Fatal(err)
		}
		words = append(words, w)
	}
	title := -1
	for i := 3; i < len(words) && title < 0; i++ {
		if words[i-3].Text == "Failed" && words[i-2].Text == "submissions" && words[i-1].Text == "per" && words[i].Text == "portal" {
			title = i
		}
	}
	if title < 0 {
		t.Fatalf("no chart titled Failed submissions per portal on the Summary's page:\n%s", out)
	}
	label := map[string]float64{} // a name's first word: the line it is printed on
	var counts []float64          // the value axis' lines
	count := regexp.MustCompile(`^\d+$`)
	for _, w := range words[title+1:] {
		if w.Text == "Page" { // the footer
			break
		}
		if count.MatchString(w.Text) {
			counts = append(counts, w.Y)
		} else if _, ok := label[w.Text]; !ok {
			label[w.Text] = w.Y
		}
	}
	var ys []float64
	for _, name := range want {
		y, ok := label[strings.Fields(name)[0]]
		if !ok {
			t.Fatalf("the chart has no label for %s: %v", name, label)
		}
		ys = append(ys, y)
	}
	if !slices.IsSorted(ys) {
		t.Errorf("the chart's labels, top to bottom, are not the table's %q: their heights %v", want, ys)
	}
	if len(counts) == 0 || slices.Min(counts) <= ys[len(ys)-1] {
		t.Errorf("the chart's counts (at %v) are not below its bars (the last label at %.0f)", counts, ys[len(ys)-1])
	}
}
