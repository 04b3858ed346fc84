package report_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/mapping"
	"github.com/syncd-dev/syncd/internal/report"
	"github.com/syncd-dev/syncd/internal/sender"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestSpacedPhoneOfALondonLeadFitsTheSummary: a day of one lead prints on
// the Summary alone (TestDayOfOneLeadPrintsOnOnePage) when its phone fits
// one line of the Summary's Phone column. Shown spaced as the daemon shows
// phones (Options.Phone), a London number, "+44 20 3870 4550", did not:
// the day printed a second page, the Leads sheet with the one lead on it,
// where "+442038704550" had fitted. The column is a digit wider, taken
// from the gap before the charts, and a British or Danish phone fits.
func TestSpacedPhoneOfALondonLeadFitsTheSummary(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	phone := func(kind, p string) string { return mapping.International(p, sender.For(syncd.Kind(kind)).Country) }
	for _, c := range []struct{ sent, shown string }{
		{"+442038704550", "+44 20 3870 4550"},
		{"+447700900123", "+44 7700 900123"},
		{"+4552250559", "+45 52 25 05 59"},
	} {
		db := openDB(t)
		at := time.Date(2026, 3, 11, 9, 34, 0, 0, time.UTC)
		id := insertEvent(t, db, event{kind: "eaf", typ: "email_lead", at: at, mapState: "pending",
			body: with(t, fixture(t, "eaf/email_lead.json"), "contact_name", "Kim Berg")})
		insertOp(t, db, id, op{kind: "contact", state: "done", crmID: "7", at: at, props: `{"email":"kim@example.com","phone":"` + c.sent + `"}`})
		path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 3, Day: 11}, report.Options{Store: db,
			Out: filepath.Join(t.TempDir(), "r.xlsx"), Location: copenhagen(t), Phone: phone,
			Now: func() time.Time { return time.Date(2026, 3, 12, 6, 0, 0, 0, time.UTC) }})
		if err != nil {
			t.Fatal(err)
		}
		f := openBook(t, path)
		listed := false
		for _, r := range rows(t, f, "Summary") {
			listed = listed || strings.Contains(strings.Join(r, "|"), "|"+c.shown+"|")
		}
		if visible, _ := f.GetSheetVisible("Leads"); visible || !listed {
			t.Errorf("a day of one lead of phone %q: listed on the Summary %v, the Leads sheet printed %v; want listed alone",
				c.shown, listed, visible)
		}
		if scale, pages := summaryScale(t, f, path); pages != 1 || scale < 0.8 {
			t.Errorf("phone %q: the Summary prints on %d page(s) at %.0f%%, want one at 80%% or more", c.shown, pages, 100*scale)
		}
	}
}
