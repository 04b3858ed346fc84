package report_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/report"
)

// TestDayNotOverSaysSo: a report of today, made by hand at 10:00 (syncd
// report -date with today's date, to look at the day so far), read as a
// whole day: "Leads report · Tuesday 2 June 2026", 2 leads against 10
// the day before, "Change -80%", the leads per hour at nothing after 10,
// its mail's subject "2 leads · Tue 2 Jun"; and with nothing yet, "Nothing
// was received on Tuesday 2 June 2026". It now says that the day was not
// over and until when it counts, in the Summary, the mail's text, HTML
// and subject, and compares it with no whole day (the Change cells "–").
// A report made once the day is over says nothing of it.
func TestDayNotOverSaysSo(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	ctx := context.Background()
	db := openDB(t)
	lead := fixture(t, "lokalebasen/enquiry_created.json")
	for i := range 10 {
		insertEvent(t, db, event{kind: "lokalebasen", typ: "enquiry_created", body: lead,
			at: time.Date(2026, 6, 1, 9, i, 0, 0, time.UTC)})
	}
	dir := t.TempDir()
	before := time.Date(2026, 6, 2, 6, 0, 0, 0, time.UTC)
	if _, err := report.Make(ctx, report.Day{Year: 2026, Month: 6, Day: 1}, report.Options{Store: db, Dir: dir,
		Location: time.UTC, Now: func() time.Time { return before }}); err != nil {
		t.Fatal(err)
	}
	today := report.Day{Year: 2026, Month: 6, Day: 2}
	at := func(h int) report.Options {
		now := time.Date(2026, 6, 2, h, 0, 0, 0, time.UTC)
		return report.Options{Location: time.UTC, Now: func() time.Time { return now }}
	}

	// Nothing yet at 08:00.
	sum, text, html, subject := summaryAndMail(t, db, today, at(8))
	want := "The day was not over when this report was made (08:00 UTC)."
	for what, got := range map[string]string{"Summary": sum, "mail text": text, "mail HTML": html} {
		if !strings.Contains(got, want) {
			t.Errorf("%s of an empty day so far:\n%s\nwant it to say %q", what, got, want)
		}
	}
	if want := "No leads so far (to 08:00)"; !strings.HasPrefix(subject, want) {
		t.Errorf("subject of an empty day so far: %q, want it to begin %q", subject, want)
	}

	for i := range 2 {
		insertEvent(t, db, event{kind: "lokalebasen", typ: "enquiry_created", body: lead,
			at: time.Date(2026, 6, 2, 9, 30*i, 0, 0, time.UTC)})
	}
	sum, text, html, subject = summaryAndMail(t, db, today, at(10))
	want = "This day was not over when this report was made: it counts what was received until 10:00 UTC, " +
		"and gives no change against the days before, which are whole days."
	for what, got := range map[string]string{"Summary": sum, "mail text": text, "mail HTML": html} {
		if !strings.Contains(got, want) {
			t.Errorf("%s of a day so far:\n%s\nwant it to say %q", what, got, want)
		}
	}
	if want := "2 leads so far (to 10:00)"; !strings.HasPrefix(subject, want) {
		t.Errorf("subject of a day so far: %q, want it to begin %q", subject, want)
	}
	if !strings.Contains(sum, "All sources | 2 | 10 | – | 10.0 | –") {
		t.Errorf("Summary of a day so far:\n%s\nwant its leads against the day before and the average with no change", sum)
	}

	// Made after the day: a whole day, as before.
	sum, text, html, subject = summaryAndMail(t, db, today, at(30))
	for what, got := range map[string]string{"Summary": sum, "mail text": text, "mail HTML": html, "subject": subject} {
		if strings.Contains(got, "not over") || strings.Contains(got, "so far") {
			t.Errorf("%s of a day over says it was not:\n%s", what, got)
		}
	}
	if !strings.Contains(sum, "All sources | 2 | 10 | -80%") || !strings.HasPrefix(subject, "2 leads · ") {
		t.Errorf("Summary of the whole day:\n%s\nsubject %q; want 2 leads, 80%% fewer than the day before", sum, subject)
	}
}
