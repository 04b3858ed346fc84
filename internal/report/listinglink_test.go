package report_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/report"
)

// TestListingShowsAnAddressItCannotLink: a listing fixed by a success
// whose address Excel's HYPERLINK cannot take (longer than 255
// characters, or without http:// before it) showed "Open listing" on the
// Portal failures sheet as plain text: it opened nothing, and the address
// was nowhere in the workbook. The cell shows the address, to copy; the
// column does not print, and the address makes its row no taller (at 300
// characters it was 25 lines tall, most of a printed page blank).
func TestListingShowsAnAddressItCannotLink(t *testing.T) {
	t.Parallel()
	loc := copenhagen(t)
	db := openDB(t)
	at := time.Date(2026, 6, 2, 10, 0, 0, 0, loc)
	long := "https://www.rightmove.co.uk/properties/100?" + strings.Repeat("utm_campaign=listing&", 12)
	urls := []string{long, "www.rightmove.co.uk/properties/200", "https://www.rightmove.co.uk/properties/300"}
	for i, u := range urls {
		ref := fmt.Sprint((i + 1) * 100)
		failed := with(t, []byte(`{}`), "eaf_type", "portal_submission", "eaf_status", "error", "eaf_action", "update",
			"eaf_target", "rightmove", "eaf_id", "E"+ref, "eaf_reference", ref,
			"eaf_errors", []any{map[string]any{"eaf_code": "ERR_MISSING_PRICE", "eaf_message": "no price"}})
		insertEvent(t, db, event{kind: "eaf", typ: "portal_submission", body: failed, at: at.Add(time.Duration(i) * time.Minute), mapState: "ignored"})
		fixed := with(t, []byte(`{}`), "eaf_type", "portal_submission", "eaf_status", "success", "eaf_action", "update",
			"eaf_target", "rightmove", "eaf_id", "S"+ref, "eaf_reference", ref, "eaf_remote_url", u)
		insertEvent(t, db, event{kind: "eaf", typ: "portal_submission", body: fixed, at: at.Add(time.Hour + time.Duration(i)*time.Minute), mapState: "ignored"})
	}
	path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 6, Day: 2},
		report.Options{Store: db, Out: filepath.Join(t.TempDir(), "r.xlsx"), Location: loc})
	if err != nil {
		t.Fatal(err)
	}
	f := openBook(t, path)
	shown, height := map[string]string{}, map[string]float64{}
	for i, row := range rows(t, f, report.SheetFailures)[1:] {
		cell := fmt.Sprintf("K%d", i+2)
		fm, err := f.GetCellFormula(report.SheetFailures, cell)
		if err != nil {
			t.Fatal(err)
		}
		shown[row[2]] = row[10] + " | " + fm
		if height[row[2]], err = f.GetRowHeight(report.SheetFailures, i+2); err != nil {
			t.Fatal(err)
		}
	}
	want := map[string]string{
		"100": long + " | ",
		"200": "www.rightmove.co.uk/properties/200 | ",
		"300": `Open listing | HYPERLINK("https://www.rightmove.co.uk/properties/300","Open listing")`,
	}
	for ref, w := range want {
		if shown[ref] != w {
			t.Errorf("listing %s's cell shows %q, want %q", ref, shown[ref], w)
		}
	}
	if height["100"] != height["300"] {
		t.Errorf("the row of the long address is %v points tall, the row of a link %v", height["100"], height["300"])
	}
}
