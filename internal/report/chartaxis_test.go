package report_test

import (
	"context"
	"fmt"
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
