package report_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/syncd-dev/syncd/internal/report"
)

// TestSummaryNamesTheFailingPortalsAmongTheOthers: on a day of 24
// portals, 10 with a listing still failing, the Summary's Portal health
// table lists the 7 that matter most and sums the others in a row "17
// others, on the sheet Portals and sources", 3 failing among them. The
// mail named those 3 (TestMailNamesTheFailingPortalsAmongTheOthers); the
// printed Summary named none, so that a manager reading it at the Monday
// meeting never learnt Zoopla was failing. The Summary names them on a
// line under the table, as the mail does, every one, wrapped across the
// table's columns in a row as tall as its lines; and it still prints on
// one A4 page at 80% of its size or more, with its error codes.
func TestSummaryNamesTheFailingPortalsAmongTheOthers(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	for _, c := range []struct {
		failing int
		among   string
	}{
		{10, "Listings still failing among the 17 others: PrimeLocation 1, Rightmove 1, Zoopla 1."},
		{20, "Listings still failing among the 17 others: Findbolig 1, Home 1, Homesandproperty 1, Idealista 1, " +
			"Jamesedition 1, Lejebolig 1, Nybolig 1, OnTheMarket 1, PrimeLocation 1, Propertyfinder 1, Realmaeglerne 1, " +
			"Rightmove 1, Zoopla 1."},
	} {
		t.Run(fmt.Sprintf("%d failing", c.failing), func(t *testing.T) {
			p, _ := failingAmongOthers(t, c.failing)
			path := filepath.Join(t.TempDir(), "leads-2026-06-02.xlsx")
			if err := os.WriteFile(path, p.Attachments["leads-2026-06-02.xlsx"], 0o600); err != nil {
				t.Fatal(err)
			}
			f := openBook(t, path)
			all := rows(t, f, "Summary")
			health := slices.IndexFunc(all, func(r []string) bool { return len(r) > 0 && r[0] == "Portal health" })
			codes := slices.IndexFunc(all, func(r []string) bool { return len(r) > 0 && r[0] == "Listings by error code" })
			line := slices.IndexFunc(all, func(r []string) bool { return len(r) > 0 && strings.HasPrefix(r[0], "Listings still failing") })
			if line < 0 {
				t.Fatalf("the Summary does not name the portals failing among the others; want %q:\n%s", c.among, summaryText(t, f))
			}
			if all[line][0] != c.among || line < health || (codes >= 0 && line > codes) {
				t.Errorf("row %d says %q, want %q under the Portal health table (row %d), above the error codes (row %d)",
					line+1, all[line][0], c.among, health+1, codes+1)
			}
			cell := fmt.Sprintf("A%d", line+1)
			merged, err := f.GetMergeCells("Summary")
			if err != nil {
				t.Fatal(err)
			}
			if !slices.ContainsFunc(merged, func(m excelize.MergeCell) bool {
				return m.GetStartAxis() == cell && m.GetEndAxis() == fmt.Sprintf("G%d", line+1)
			}) {
				t.Errorf("the line naming them, %s, is not across the table's columns A to G", cell)
			}
			if ht, _ := f.GetRowHeight("Summary", line+1); c.failing == 20 && ht < 2*12.75 {
				t.Errorf("the line naming 13 portals is %.2f points tall: one line, its end hidden", ht)
			}
			if st := cellStyle(t, f, "Summary", cell); st.Alignment == nil || !st.Alignment.WrapText {
				t.Errorf("the line naming them does not wrap")
			}
			if scale, pages := summaryScale(t, f, path); scale < 0.8 || pages != 1 {
				t.Errorf("the Summary prints on %d page(s) at %.0f%% of its size, want one at 80%% or more", pages, 100*scale)
			}
			if codes < 0 {
				t.Errorf("the Summary has no Listings by error code table")
			}
		})
	}
}
