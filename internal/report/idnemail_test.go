package report_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/report"
)

// TestAnEmailAtADanishDomainShowsItsLetters: HubSpot takes a domain
// beyond ASCII only in its ASCII form, so a client's "aase@bøgh.dk"
// reaches it as "aase@xn--bgh-0na.dk". The Leads sheet and the Summary
// show the values as sent, and showed that: the client's letters lost,
// an address no colleague reading the report recognises or types back.
// Both now show the address with its letters, as the phone is shown
// spaced rather than as sent; what is not an ASCII form of a domain stays
// as sent.
func TestAnEmailAtADanishDomainShowsItsLetters(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	for _, c := range []struct{ sent, shown string }{
		{"aase@xn--bgh-0na.dk", "aase@bøgh.dk"},
		{"soren@xn--rskbing-lxa7nc.dk", "soren@ærøskøbing.dk"},
		{"kim@example.com", "kim@example.com"},
		{"kim@xn--.dk", "kim@xn--.dk"}, // no domain's ASCII form: as sent
	} {
		db := openDB(t)
		at := time.Date(2026, 3, 11, 9, 34, 0, 0, time.UTC)
		id := insertEvent(t, db, event{kind: "lokalebasen", typ: "enquiry_created", at: at, mapState: "mapped",
			body: with(t, fixture(t, "lokalebasen/enquiry_created.json"), "payload.client.name", "Åse Bøgh",
				"payload.client.email", "Aase@Bøgh.dk")})
		insertOp(t, db, id, op{kind: "contact", state: "done", crmID: "7", at: at,
			props: `{"email":"` + c.sent + `","firstname":"Åse","lastname":"Bøgh"}`})
		path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 3, Day: 11}, report.Options{Store: db,
			Out: filepath.Join(t.TempDir(), "r.xlsx"), Location: copenhagen(t),
			Now: func() time.Time { return time.Date(2026, 3, 12, 6, 0, 0, 0, time.UTC) }})
		if err != nil {
			t.Fatal(err)
		}
		f := openBook(t, path)
		for _, sheet := range []string{"Summary", "Leads"} {
			shown := false
			for _, r := range rows(t, f, sheet) {
				row := "|" + strings.Join(r, "|") + "|"
				shown = shown || strings.Contains(row, "|"+c.shown+"|")
				if c.sent != c.shown && strings.Contains(row, c.sent) {
					t.Errorf("%s: %s shows %q: %q", c.sent, sheet, c.sent, r)
				}
			}
			if !shown {
				t.Errorf("%s: %s does not show %q", c.sent, sheet, c.shown)
			}
		}
	}
}
