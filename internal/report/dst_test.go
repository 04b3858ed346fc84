package report_test

import (
	"context"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/report"
)

// TestOrdinaryDayTimesNameNoZone: on a day the clocks do not change a
// lead's time is hh:mm alone, in a column as narrow as before.
func TestOrdinaryDayTimesNameNoZone(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	loc := copenhagen(t)
	db := openDB(t)
	insertEvent(t, db, event{kind: "lokalebasen", typ: "enquiry_created", body: fixture(t, "lokalebasen/enquiry_created.json"),
		at: time.Date(2026, 10, 24, 2, 30, 0, 0, loc), mapState: "pending"})
	path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 10, Day: 24},
		report.Options{Store: db, Out: filepath.Join(t.TempDir(), "r.xlsx"), Location: loc})
	if err != nil {
		t.Fatal(err)
	}
	f := openBook(t, path)
	if got := rows(t, f, "Leads")[1][0]; got != "02:30" {
		t.Errorf("time %q, want 02:30", got)
	}
	if w, err := f.GetColWidth("Leads", "A"); err != nil || w != 6 {
		t.Errorf("time column %v wide (%v), want 6", w, err)
	}
}

// TestHourLabelsOfADSTDayRead: the leads per hour of a day the clocks
// change name their zone ("02 CEST"), 25 of them under a chart 500 pixels
// wide; upright they broke over two lines ("CE ST"). They now read
// upwards, turned a quarter; an ordinary day's ("02") stay upright.
// TestZonedTimesStandApart: the times that name their zone, right-aligned
// as numbers are, ran into the text beside them ("02:31 CEST unmappable");
// they are indented from the right, in a column wide enough for that.
func TestZonedTimesStandApart(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	loc := copenhagen(t)
	db := openDB(t)
	insertQuarantine(t, db, time.Date(2026, 10, 25, 0, 30, 0, 0, time.UTC), "invalid JSON at byte 13") // 02:30 CEST
	path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 10, Day: 25},
		report.Options{Store: db, Out: filepath.Join(t.TempDir(), "r.xlsx"), Location: loc})
	if err != nil {
		t.Fatal(err)
	}
	f := openBook(t, path)
	if got := rows(t, f, "Needs attention")[2][0]; got != "02:30 CEST" {
		t.Errorf("time %q, want 02:30 CEST", got)
	}
	if st := cellStyle(t, f, "Needs attention", "A3"); st.Alignment == nil || st.Alignment.Horizontal != "right" || st.Alignment.Indent != 1 {
		t.Errorf("the time's alignment %+v, want right, indented", st.Alignment)
	}
	if w, _ := f.GetColWidth("Needs attention", "A"); w < 12 {
		t.Errorf("the time's column %v wide, want room for its indent", w)
	}
}

func TestHourLabelsOfADSTDayRead(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	loc := copenhagen(t)
	rot := regexp.MustCompile(`<catAx>.*?<a:bodyPr[^>]*?rot="(-?\d+)"`)
	for _, c := range []struct {
		day  report.Day
		want string
	}{{report.Day{Year: 2026, Month: 10, Day: 25}, "-5400000"}, {report.Day{Year: 2026, Month: 3, Day: 29}, "-5400000"},
		{report.Day{Year: 2026, Month: 10, Day: 24}, "0"}} {
		db := openDB(t)
		insertEvent(t, db, event{kind: "lokalebasen", typ: "enquiry_created", body: fixture(t, "lokalebasen/enquiry_created.json"),
			at: time.Date(c.day.Year, c.day.Month, c.day.Day, 12, 0, 0, 0, loc), mapState: "pending"})
		path, err := report.Make(context.Background(), c.day,
			report.Options{Store: db, Out: filepath.Join(t.TempDir(), "r.xlsx"), Location: loc})
		if err != nil {
			t.Fatal(err)
		}
		chart := zipParts(t, path)["xl/charts/chart1.xml"]
		m := rot.FindStringSubmatch(chart)
		if got := ""; m != nil && m[1] != c.want || m == nil && c.want != "0" {
			if m != nil {
				got = m[1]
			}
			t.Errorf("%s: hour labels turned %q, want %s", c.day, got, c.want)
		}
	}
}

// TestAttentionIDReadsApartFromItsSource: on the Needs attention sheet the
// row's id, a number, was right-aligned against the source left-aligned
// beside it: "1 eaf" read as one value. It is now centred in its column,
// and still a number.
func TestAttentionIDReadsApartFromItsSource(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	db := openDB(t)
	id := insertQuarantine(t, db, time.Date(2026, 6, 2, 9, 0, 0, 0, time.UTC), "invalid JSON at byte 13")
	path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 6, Day: 2},
		report.Options{Store: db, Out: filepath.Join(t.TempDir(), "r.xlsx"), Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	f := openBook(t, path)
	wantRow(t, rows(t, f, "Needs attention")[2], "09:00", "quarantined", strconv.FormatInt(id, 10), "eaf")
	wantNumber(t, f, "Needs attention", "C3", float64(id))
	if st := cellStyle(t, f, "Needs attention", "C3"); st.Alignment == nil || st.Alignment.Horizontal != "center" {
		t.Errorf("the id's alignment %+v, want centred", st.Alignment)
	}
}
