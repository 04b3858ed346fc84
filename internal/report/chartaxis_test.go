package report_test

import (
	"context"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/report"
)

// TestChartsOfAQuietDayCountInWholes: on a day of a few leads the charts'
// value axes were Excel's own, in steps of 0.2 (0.2 leads an hour, 0.4
// failed submissions), on most days of a small agency. Counts of 5 or
// fewer now step by one; larger ones keep Excel's steps, which are whole.
func TestChartsOfAQuietDayCountInWholes(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	loc := copenhagen(t)
	at := func(h int) time.Time { return time.Date(2026, 11, 2, h, 0, 0, 0, loc) }
	unit := regexp.MustCompile(`<valAx>.*?</valAx>`)
	for _, c := range []struct {
		leads int
		want  bool // one-unit steps on the leads per hour
	}{{1, true}, {5, true}, {6, false}} {
		db := openDB(t)
		for i := range c.leads {
			body := strings.Replace(string(fixture(t, "eaf/email_lead.json")), "77722226661727188822717", fmt.Sprint("lead", i), 1)
			insertEvent(t, db, event{kind: "eaf", typ: "email_lead", body: []byte(body), at: at(10)})
		}
		insertEvent(t, db, event{kind: "eaf", typ: "portal_submission", body: fixture(t, "eaf/portal_submission_error.json"), at: at(11)})
		path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 11, Day: 2}, report.Options{Store: db,
			Dir: t.TempDir(), Location: loc, Now: func() time.Time { return at(23) }})
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Fields(summaryMap(t, openBook(t, path))["All sources"] + " none"); got[0] != fmt.Sprint(c.leads) {
			t.Fatalf("%s leads reported, want %d", got[0], c.leads)
		}
		parts := zipParts(t, path)
		for part, want := range map[string]bool{"xl/charts/chart1.xml": c.want, "xl/charts/chart2.xml": true} {
			axis := unit.FindString(parts[part])
			if got := regexp.MustCompile(`<majorUnit val="1"`).MatchString(axis); got != want {
				t.Errorf("%d leads, %s: one-unit steps %v, want %v\n%s", c.leads, part, got, want, axis)
			}
		}
	}
}

// TestChartsCountFromNone: on a day two or more portals failed about as
// often (Rightmove 10 failed submissions, Zoopla 9), the Summary's chart of
// failed submissions per portal left its value axis to the spreadsheet,
// which starts it near the smallest count when the counts are close
// (LibreOffice printed it from 8.4 in steps of 0.2, and Excel starts above 0
// once the smallest is past five sixths of the largest): Zoopla's bar was a
// third of Rightmove's for one failure less.
// Both charts' value axes now start at 0, as counts do.
func TestChartsCountFromNone(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	db := openDB(t)
	day := time.Date(2026, 6, 2, 0, 0, 0, 0, time.UTC)
	for i := range 19 {
		portal := []string{"rightmove", "zoopla"}[i%2]
		submission(t, db, time.UTC, day.Add(time.Duration(8*60+i*20)*time.Minute), portal, fmt.Sprint(100+i), "error", "ERR_MISSING_PRICE")
	}
	insertEvent(t, db, event{kind: "eaf", typ: "email_lead", body: fixture(t, "eaf/email_lead.json"), at: day.Add(10 * time.Hour)})
	path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 6, Day: 2},
		report.Options{Store: db, Out: filepath.Join(t.TempDir(), "r.xlsx"), Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	if sum := summaryMap(t, openBook(t, path)); !strings.HasPrefix(sum["Rightmove"], "10 10") || !strings.HasPrefix(sum["Zoopla"], "9 9") {
		t.Fatalf("Portal health: Rightmove %q, Zoopla %q; want 10 and 9 failed", sum["Rightmove"], sum["Zoopla"])
	}
	scaling := regexp.MustCompile(`<(?:c:)?valAx>.*?<(?:c:)?scaling>(.*?)</(?:c:)?scaling>`)
	charts := 0
	for name, x := range zipParts(t, path) {
		if !strings.HasPrefix(name, "xl/charts/chart") {
			continue
		}
		charts++
		m := scaling.FindStringSubmatch(x)
		if m == nil {
			t.Fatalf("%s: no value axis scaling", name)
		}
		if !regexp.MustCompile(`<(?:c:)?min val="0"`).MatchString(m[1]) {
			t.Errorf("%s: the value axis starts where the spreadsheet likes (%s): want it from 0", name, m[1])
		}
	}
	if charts != 2 {
		t.Errorf("%d charts, want 2 (leads per hour, failed submissions per portal)", charts)
	}
}
