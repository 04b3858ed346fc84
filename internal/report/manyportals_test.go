package report_test

import (
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/syncd-dev/syncd/internal/report"
	"github.com/syncd-dev/syncd/internal/sqlite"
)

// manyNames are portals' and lead sources' ids, as Estate Agent Feeds
// names them (eaf_target, email_source): 24 of them, an agency's day that
// lists its listings on Danish, British and European portals alike.
var manyNames = []string{"rightmove", "zoopla", "onthemarket", "primelocation", "jamesedition", "homesandproperty",
	"boligsiden", "boligportal", "lejebolig", "dba", "findbolig", "edc", "home", "nybolig", "estate", "danbolig",
	"realmaeglerne", "ejendomstorvet", "propertyfinder", "idealista", "immowelt", "immoscout", "seloger", "willhaben"}

// manyDay fills db with a day of portals portal submissions (1 to 4 each;
// every sixth portal's first fails, with a code of five) and leads from
// sources sources (1 to 3 each), and returns the day's submissions,
// failures and leads.
func manyDay(t *testing.T, db *sqlite.DB, day time.Time, portals, sources int) (subs, failed, leads int) {
	t.Helper()
	lead := fixture(t, "eaf/email_lead.json")
	for i, p := range manyNames[:portals] {
		for k := range 1 + i%4 {
			status, codes := "success", []string(nil)
			if i%6 == 0 && k == 0 {
				status, codes = "error", []string{fmt.Sprintf("ERR_CODE_%d", i%5)}
				failed++
			}
			submission(t, db, time.UTC, day.Add(time.Duration(8*60+i*10+k)*time.Minute), p, fmt.Sprint(7000+i*10+k), status, codes...)
			subs++
		}
	}
	for i, s := range manyNames[:sources] {
		for k := range 1 + i%3 {
			insertEvent(t, db, event{kind: "eaf", typ: "email_lead", at: day.Add(time.Duration(9*60+i*10+k) * time.Minute),
				body: with(t, lead, "eaf_id", fmt.Sprintf("%s-%d", s, k), "email_source", s)})
			leads++
		}
	}
	return subs, failed, leads
}

// manyReport makes the workbook of a day of portals portals and sources
// lead sources (manyDay), and returns its path and the day's submissions,
// failures and leads.
func manyReport(t *testing.T, portals, sources int) (path string, subs, failed, leads int) {
	t.Helper()
	db := openDB(t)
	day := time.Date(2026, 6, 2, 0, 0, 0, 0, time.UTC)
	subs, failed, leads = manyDay(t, db, day, portals, sources)
	path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 6, Day: 2}, report.Options{Store: db,
		Out: filepath.Join(t.TempDir(), "r.xlsx"), Location: time.UTC, Now: func() time.Time { return day.Add(30 * time.Hour) }})
	if err != nil {
		t.Fatal(err)
	}
	return path, subs, failed, leads
}

// summaryTable is the rows of the Summary's table titled title (its
// header's first cell), to the blank row or the note after them; nil when
// it has none.
func summaryTable(t *testing.T, f *excelize.File, title string) [][]string {
	t.Helper()
	all := rows(t, f, "Summary")
	for i, r := range all {
		if len(r) == 0 || r[0] != title {
			continue
		}
		var out [][]string
		for _, r := range all[i+1:] {
			if len(r) < 2 || r[0] == "" {
				break
			}
			out = append(out, r)
		}
		return out
	}
	return nil
}

// column sums the figures of a table's column col (from 0).
func columnSum(t *testing.T, table [][]string, col int) int {
	t.Helper()
	n := 0
	for _, r := range table {
		v, err := strconv.Atoi(strings.ReplaceAll(r[col], ",", ""))
		if err != nil {
			t.Fatalf("row %q: column %d is no count", r, col+1)
		}
		n += v
	}
	return n
}

var othersRow = regexp.MustCompile(`^(\d+) others, on the sheet Portals and sources$`)

// TestSummaryOfManyPortalsAndSourcesFitsAPage: a day of 24 portals and
// 22 lead sources listed every one in the Summary's Portal health and
// Leads by source tables, so that the Summary printed on one page only
// below 80% of its size and left out the Listings by error code table
// ("Not shown here: 1 error code"). Each table now lists at most 8 rows:
// the portals that matter most (those failing first, then by
// submissions), the sources with most leads, and the rest summed in a row
// "17 others, on the sheet Portals and sources", a sheet that lists every
// portal and source with its figures; the tables still add up to the
// day's totals, and the Summary prints on one page at 80% or more with
// its error codes. A day of a few portals and sources lists them all, as
// before, without that sheet; one of 9 portals and 8 sources lists the 8
// sources, and 7 portals and 2 others.
func TestSummaryOfManyPortalsAndSourcesFitsAPage(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ portals, sources int }{{24, 22}, {9, 8}, {6, 5}} {
		t.Run(fmt.Sprintf("%d portals, %d sources", c.portals, c.sources), func(t *testing.T) {
			path, subs, failed, leads := manyReport(t, c.portals, c.sources)
			f := openBook(t, path)
			if scale, pages := summaryScale(t, f, path); scale < 0.8 || pages != 1 {
				t.Errorf("the Summary prints on %d page(s) at %.0f%% of its size, want one at 80%% or more", pages, 100*scale)
			}
			if codes := summaryTable(t, f, "Listings by error code"); len(codes) == 0 {
				t.Errorf("the Summary has no Listings by error code table")
			}
			sources, portals := summaryTable(t, f, "Leads by source"), summaryTable(t, f, "Portal health")
			all := summaryTable(t, f, "Leads")
			if len(all) != 1 || all[0][1] != strconv.Itoa(leads) || columnSum(t, sources, 1) != leads {
				t.Errorf("Leads by source adds up to %d, All sources %q; want %d", columnSum(t, sources, 1), all, leads)
			}
			if got := columnSum(t, portals, 1); got != subs {
				t.Errorf("Portal health's submissions add up to %d, want %d", got, subs)
			}
			if got := columnSum(t, portals, 2); got != failed {
				t.Errorf("Portal health's failed submissions add up to %d, want %d", got, failed)
			}
			labels := chartLabels(t, path, f, "Failed submissions per portal")
			if len(labels) != len(portals) {
				t.Errorf("the failures chart has %d bars %q, the table %d rows", len(labels), labels, len(portals))
			}
			for _, tb := range []struct {
				name  string
				table [][]string
				n     int
			}{{"Leads by source", sources, c.sources}, {"Portal health", portals, c.portals}} {
				last := tb.table[len(tb.table)-1][0]
				m := othersRow.FindStringSubmatch(last)
				switch {
				case tb.n <= 8 && (len(tb.table) != tb.n || m != nil):
					t.Errorf("%s lists %d rows, the last %q: want every one of %d", tb.name, len(tb.table), last, tb.n)
				case tb.n > 8 && (len(tb.table) != 8 || m == nil || m[1] != strconv.Itoa(tb.n-7)):
					t.Errorf("%s lists %d rows, the last %q: want 8, the last %d others summed", tb.name, len(tb.table), last, tb.n-7)
				}
			}
			// The portals failing are those that matter most: listed by name.
			for i, p := range manyNames[:c.portals] {
				if name := strings.ToUpper(p[:1]) + p[1:]; i%6 == 0 && // Rightmove, Boligsiden, Home, Propertyfinder
					!slices.ContainsFunc(portals, func(r []string) bool { return r[0] == name }) {
					t.Errorf("Portal health does not list %s, failing", name)
				}
			}
			if want := strconv.Itoa(c.portals-7) + " others"; c.portals > 8 && labels[len(labels)-1] != want {
				t.Errorf("the failures chart's last bar is labelled %q, want %q", labels[len(labels)-1], want)
			}
			sheets := f.GetSheetList()
			if c.portals <= 8 && c.sources <= 8 {
				if slices.Contains(sheets, "Portals and sources") {
					t.Errorf("sheets %q: want no sheet Portals and sources when the Summary lists every portal and source", sheets)
				}
				return
			}
			// Every portal and source, with its figures, on the sheet the
			// others row names, printed as the other detail sheets.
			if !slices.Contains(sheets, "Portals and sources") {
				t.Fatalf("no sheet Portals and sources: %q", sheets)
			}
			if visible, err := f.GetSheetVisible("Portals and sources"); err != nil || !visible {
				t.Errorf("the sheet Portals and sources is hidden (%v)", err)
			}
			full := rows(t, f, "Portals and sources")
			if len(full) == 0 || !strings.Contains(full[0][0], "the Summary lists those that matter most") {
				t.Fatalf("the sheet Portals and sources does not say why it is there: %q", full)
			}
			full = full[1:]
			wantHeader(t, full, []string{"Portal or source", "Leads", "Submissions", "Failed", "Listings failed", "Still failing",
				"Fixed later"})
			if len(full) != 1+max(c.portals, c.sources) {
				t.Errorf("the sheet Portals and sources has %d rows, want %d", len(full)-1, max(c.portals, c.sources))
			}
			if columnSum(t, full[1:], 1) != leads || columnSum(t, full[1:], 2) != subs || columnSum(t, full[1:], 3) != failed {
				t.Errorf("the sheet Portals and sources adds up to %d leads, %d submissions, %d failed; want %d, %d, %d",
					columnSum(t, full[1:], 1), columnSum(t, full[1:], 2), columnSum(t, full[1:], 3), leads, subs, failed)
			}
			if c.portals == len(manyNames) && c.sources < c.portals {
				i := slices.IndexFunc(full, func(r []string) bool { return len(r) > 0 && r[0] == "Willhaben" })
				if i < 0 {
					t.Fatalf("the sheet Portals and sources does not list Willhaben, a portal with no lead: %q", full)
				}
				wantRow(t, full[i], "Willhaben", "0", "4", "0", "0", "0", "0")
			}
			wantLayout(t, path, 2)
		})
	}
}

// TestManyPortalsSummaryPrintsOnOnePageInLibreOffice: the Summary of a day
// of 24 portals and 22 lead sources, printed by LibreOffice (to PDF), is
// its first page, whole: its tables to the error codes' and the others
// rows, and nothing of it on the next page; the sheet Portals and sources
// prints last. It needs LibreOffice (soffice) and poppler-utils (pdftotext, pdfinfo):
// without them, or with -short, it is skipped.
func TestManyPortalsSummaryPrintsOnOnePageInLibreOffice(t *testing.T) {
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
	pdfinfo, err := exec.LookPath("pdfinfo")
	if err != nil {
		t.Skip("no pdfinfo (poppler-utils) to count the pages with")
	}
	path, _, _, _ := manyReport(t, 24, 22)
	dir := t.TempDir()
	// A profile of its own: another LibreOffice running takes the job over
	// and, with --headless, prints nothing.
	// A few minutes at most, however busy the machine: a LibreOffice that
	// hangs fails the test rather than holding up the suite.
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, soffice, "-env:UserInstallation=file://"+filepath.Join(dir, "profile"), "--headless", "--norestore",
		"--convert-to", "pdf", "--outdir", dir, path)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v: %s", err, out)
	}
	pdf := filepath.Join(dir, strings.TrimSuffix(filepath.Base(path), ".xlsx")+".pdf")
	page := func(n string) string {
		out, err := exec.Command(pdftotext, "-f", n, "-l", n, "-layout", pdf, "-").Output()
		if err != nil {
			t.Fatalf("pdftotext page %s: %v", n, err)
		}
		return string(out)
	}
	first, second := page("1"), page("2")
	for _, want := range []string{"Leads by source", "Portal health", "Listings by error code", "ERR_CODE_0", "17 others, on the sheet",
		"15 others, on the sheet", "Failed submissions per portal"} {
		if !strings.Contains(first, want) {
			t.Errorf("the Summary's page lacks %q:\n%s", want, first)
		}
	}
	if !strings.Contains(second, "Leads · Tuesday 2 June 2026") || strings.Contains(second, "Portal health") {
		t.Errorf("the second page is not the Leads sheet's first:\n%s", second)
	}
	out, err := exec.Command(pdfinfo, pdf).Output()
	if err != nil {
		t.Fatalf("pdfinfo: %v", err)
	}
	n := regexp.MustCompile(`(?m)^Pages:\s+(\d+)`).FindSubmatch(out)
	if n == nil || !strings.Contains(page(string(n[1])), "Portals and sources · Tuesday 2 June 2026") {
		t.Errorf("the last page is not the sheet Portals and sources' (pdfinfo: %s)", out)
	}
}
