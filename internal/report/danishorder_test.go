package report_test

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/mail/mailtest"
	"github.com/syncd-dev/syncd/internal/report"
)

// danishNames are portal and source names a Danish agency meets, in the
// order the report lists them in.
var danishNames = map[string][]string{
	// Danish: ... Z, Æ, Ø, Å, "aa" read as Å; the case set aside.
	"Europe/Copenhagen": {"Boligportal", "Dansk Boligformidling", "DBA Bolig", "Zoopla", "Ærø Ejendomme", "Ørsted Ejendomme", "Åbyhøj Bolig", "Aarhus Lejeboliger"},
	// English: the accented letters beside their own, the case set aside.
	"Europe/London": {"Aarhus Lejeboliger", "Åbyhøj Bolig", "Ærø Ejendomme", "Boligportal", "Dansk Boligformidling", "DBA Bolig", "Ørsted Ejendomme", "Zoopla"},
}

// TestNamesAreListedInTheReadersOrder: the report listed portals and
// sources in the order of their bytes, so a Danish manager found "DBA
// Bolig" before "Dansk Boligformidling" (B before a), and "Åbyhøj Bolig",
// "Ærø Ejendomme" and "Ørsted Ejendomme" in Unicode's order (Å, Æ, Ø),
// with "Aarhus" among the A's. They are listed in the alphabetical
// order of report.time_zone's country: the Summary's tables, the sheet
// Portal failures and the mail alike.
func TestNamesAreListedInTheReadersOrder(t *testing.T) {
	t.Parallel()
	for zone, want := range danishNames {
		t.Run(zone, func(t *testing.T) {
			loc, err := time.LoadLocation(zone)
			if err != nil {
				t.Fatal(err)
			}
			db := openDB(t)
			srv := mailtest.Start(t, "syncd", "pw")
			day := time.Date(2026, 12, 1, 0, 0, 0, 0, loc)
			lead := fixture(t, "eaf/email_lead.json")
			shuffled := slices.Clone(want)
			slices.Reverse(shuffled)
			shuffled[0], shuffled[3] = shuffled[3], shuffled[0]
			for i, name := range shuffled {
				at := day.Add(time.Duration(9*60+i*10) * time.Minute)
				submission(t, db, loc, at, name, fmt.Sprint(7000+i), "error", "ERR_MISSING_PRICE")
				insertEvent(t, db, event{kind: "eaf", typ: "email_lead", at: at,
					body: with(t, lead, "eaf_id", fmt.Sprint("lead-", i), "email_source", name)})
			}
			path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 12, Day: 1}, report.Options{Store: db,
				Dir: t.TempDir(), Location: loc, Mailer: mailer(t, srv), Now: func() time.Time { return day.Add(30 * time.Hour) }})
			if err != nil {
				t.Fatal(err)
			}
			f := openBook(t, path)
			for title, got := range map[string][]string{
				"Summary, Leads by source": listedOf(summaryTable(t, f, "Leads by source"), 0, want),
				"Summary, Portal health":   listedOf(summaryTable(t, f, "Portal health"), 0, want),
				"Portal failures":          listedOf(rows(t, f, report.SheetFailures), 1, want),
			} {
				if !slices.Equal(got, want) {
					t.Errorf("%s lists\n%q\nwant\n%q", title, got, want)
				}
			}
			msgs := srv.Messages()
			if len(msgs) != 1 {
				t.Fatalf("%d messages, want 1", len(msgs))
			}
			p, err := msgs[0].Parse()
			if err != nil {
				t.Fatal(err)
			}
			var portals []string
			for _, l := range strings.Split(p.Text, "\n") {
				if m := textPortal.FindStringSubmatch(strings.TrimSpace(l)); m != nil {
					portals = append(portals, m[1])
				}
			}
			if !slices.Equal(portals, want) {
				t.Errorf("the mail's text lists the portals\n%q\nwant\n%q\n%s", portals, want, p.Text)
			}
		})
	}
}

// listedOf is the names of names in column col of rows, in the rows' order.
func listedOf(rows [][]string, col int, names []string) []string {
	var out []string
	for _, r := range rows {
		if len(r) > col && slices.Contains(names, r[col]) {
			out = append(out, r[col])
		}
	}
	return out
}

// TestPortalsAndSourcesSheetIsInTheReadersOrder: past 8 portals the sheet
// Portals and sources lists every one, in the alphabetical order of
// report.time_zone's country too (Danish in Europe/Copenhagen).
func TestPortalsAndSourcesSheetIsInTheReadersOrder(t *testing.T) {
	t.Parallel()
	loc, err := time.LoadLocation("Europe/Copenhagen")
	if err != nil {
		t.Fatal(err)
	}
	want := slices.Clone(danishNames["Europe/Copenhagen"])
	want = slices.Insert(want, 3, "Københavns Ejendomme") // after DBA Bolig, before Zoopla
	db := openDB(t)
	day := time.Date(2026, 12, 1, 0, 0, 0, 0, loc)
	for i := range want {
		name := want[len(want)-1-i]
		submission(t, db, loc, day.Add(time.Duration(9*60+i*10)*time.Minute), name, fmt.Sprint(7000+i), "success")
	}
	path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 12, Day: 1}, report.Options{Store: db,
		Out: filepath.Join(t.TempDir(), "r.xlsx"), Location: loc, Now: func() time.Time { return day.Add(30 * time.Hour) }})
	if err != nil {
		t.Fatal(err)
	}
	if got := listedOf(rows(t, openBook(t, path), report.SheetPortals), 0, want); !slices.Equal(got, want) {
		t.Errorf("the sheet %s lists\n%q\nwant\n%q", report.SheetPortals, got, want)
	}
}
