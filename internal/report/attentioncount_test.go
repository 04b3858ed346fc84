package report_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/syncd-dev/syncd/internal/report"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestSummaryCountsEveryRowNeedingAttention: the Summary's line for
// whoever runs syncd counted quarantined bodies, unmappable events and
// dead operations only, so a day with a body posted to the wrong source
// and events of a new type said "1 items on the sheet Needs attention"
// over a sheet of 4 rows (and nothing at all on a day with only those),
// while the mail said 4. It counts every row the sheet has, "1 item" when
// there is one.
func TestSummaryCountsEveryRowNeedingAttention(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	db := openDB(t)
	at := time.Date(2026, 6, 2, 9, 0, 0, 0, time.UTC)
	insertQuarantine(t, db, at, "invalid JSON at byte 13")
	store(t, db, at.Add(time.Minute), syncd.Incoming{Source: "eaf", Kind: syncd.KindEAF, Parse: syncd.ParseStrict,
		Body: fixture(t, "lokalebasen/enquiry_created.json"), ReceivedAt: at.Add(time.Minute),
		Unrecognised: "looks like a lokalebasen body (it has event_type), not eaf: posted to the wrong source?"})
	for i := range 2 {
		insertEvent(t, db, event{kind: "lokalebasen", typ: "location_rented", body: []byte(`{"event_type":"location_rented"}`),
			at: at.Add(time.Duration(2+i) * time.Minute), mapState: "ignored"})
	}
	path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 6, Day: 2},
		report.Options{Store: db, Out: filepath.Join(t.TempDir(), "r.xlsx"), Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	f := openBook(t, path)
	if att := rows(t, f, "Needs attention"); len(att) != 2+4 {
		t.Fatalf("Needs attention: %q; want 4 rows", att)
	}
	if line, want := summaryNote(t, f), "For whoever runs syncd: 4 items on the sheet Needs attention."; line != want {
		t.Errorf("the Summary says %q, want %q", line, want)
	}

	insertQuarantine(t, db, at.Add(24*time.Hour), "invalid JSON at byte 13")
	path, err = report.Make(context.Background(), report.Day{Year: 2026, Month: 6, Day: 3},
		report.Options{Store: db, Out: filepath.Join(t.TempDir(), "r.xlsx"), Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := summaryNote(t, openBook(t, path)), "For whoever runs syncd: 1 item on the sheet Needs attention."; got != want {
		t.Errorf("the Summary of a day with one says %q, want %q", got, want)
	}
}

// summaryNote is the Summary's line for whoever runs syncd, "" when none.
func summaryNote(t *testing.T, f *excelize.File) string {
	t.Helper()
	for _, row := range rows(t, f, "Summary") {
		for _, c := range row {
			if strings.HasPrefix(c, "For whoever runs syncd: ") {
				return c
			}
		}
	}
	return ""
}

// TestAlarmsOfOneEventSayOne: the Summary's alarms for one body posted to
// the wrong source and one event of a new type said "1 unrecognised
// events: their bodies do not fit …" and "…: 1 events, no rule maps them".
func TestAlarmsOfOneEventSayOne(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	db := openDB(t)
	at := time.Date(2026, 6, 2, 9, 0, 0, 0, time.UTC)
	store(t, db, at, syncd.Incoming{Source: "eaf", Kind: syncd.KindEAF, Parse: syncd.ParseStrict,
		Body: fixture(t, "lokalebasen/enquiry_created.json"), ReceivedAt: at,
		Unrecognised: "looks like a lokalebasen body (it has event_type), not eaf: posted to the wrong source?"})
	insertEvent(t, db, event{kind: "lokalebasen", typ: "location_rented", body: []byte(`{"event_type":"location_rented"}`),
		at: at.Add(time.Minute), mapState: "ignored"})
	path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 6, Day: 2},
		report.Options{Store: db, Out: filepath.Join(t.TempDir(), "r.xlsx"), Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	var alarms []string
	for _, row := range rows(t, openBook(t, path), "Summary") {
		if len(row) > 0 && strings.HasPrefix(row[0], "ALARM: ") {
			alarms = append(alarms, row[0])
		}
	}
	want := []string{
		"ALARM: 1 unrecognised event: its body does not fit its source's kind (a sender posting to the wrong source?); see Needs attention",
		"ALARM: new event type location_rented: 1 event, no rule maps it",
	}
	if strings.Join(alarms, "\n") != strings.Join(want, "\n") {
		t.Errorf("alarms:\n%s\nwant\n%s", strings.Join(alarms, "\n"), strings.Join(want, "\n"))
	}
}
