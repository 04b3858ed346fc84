package report_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/report"
	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestDayMadeAgainAfterAllItsLeadsWereErasedSaysSo: three leads came on
// Tuesday 1 December 2026, all one person's; syncd erase removed them and
// made the day's workbook again. Its Summary, and the mail text, said
// "Nothing was received on Tuesday 1 December 2026: no leads, ...", and a
// manager read a dead intake. They say that 3 leads were received and
// erased since, and nothing of the person.
func TestDayMadeAgainAfterAllItsLeadsWereErasedSaysSo(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	e := newErasedDay(t)
	for h := 9; h <= 11; h++ {
		e.lead(h, "Jane Doe", "jane.doe@example.com")
	}
	summary, text := e.eraseAndMakeAgain("jane.doe@example.com")
	want := "3 leads were received on Tuesday 1 December 2026 and erased since (syncd erase): nothing of them is shown."
	if !strings.Contains(summary, want) || strings.Contains(summary, "Nothing was received") {
		t.Errorf("the Summary of the day made again after its 3 leads were erased:\n%s\nwant it to say %q", summary, want)
	}
	if !strings.Contains(text, "3 leads were received on this day and erased since (syncd erase)") ||
		strings.Contains(text, "Nothing was received") {
		t.Errorf("the mail text of the day made again after its 3 leads were erased:\n%s", text)
	}
	e.noPerson(summary, text)
}

// TestDayMadeAgainAfterSomeLeadsWereErasedCountsThem: of a day's three
// leads, two were one person's, erased since; the workbook made again
// said "Leads: 1" and nothing of the two, so that it disagreed with the
// copy mailed that morning without a word. It says how many were erased.
func TestDayMadeAgainAfterSomeLeadsWereErasedCountsThem(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	e := newErasedDay(t)
	e.lead(9, "Jane Doe", "jane.doe@example.com")
	e.lead(10, "Bob Berg", "bob.berg@example.com")
	e.lead(11, "Jane Doe", "jane.doe@example.com")
	summary, text := e.eraseAndMakeAgain("jane.doe@example.com")
	want := "2 more leads were received on this day and erased since (syncd erase): they are not counted or shown here."
	if !strings.Contains(summary, want) {
		t.Errorf("the Summary of the day made again after 2 of its leads were erased:\n%s\nwant it to say %q", summary, want)
	}
	if !strings.Contains(text, "Leads: 1") || !strings.Contains(text, want) {
		t.Errorf("the mail text of the day made again after 2 of its leads were erased:\n%s\nwant Leads: 1 and %q", text, want)
	}
	e.noPerson(summary, text)
}

// erasedDay is a database with leads of Tuesday 1 December 2026
// (Copenhagen) and a reports directory.
type erasedDay struct {
	t   *testing.T
	db  *sqlite.DB
	loc *time.Location
	dir string
	day report.Day
}

func newErasedDay(t *testing.T) *erasedDay {
	t.Helper()
	return &erasedDay{t: t, db: openDB(t), loc: copenhagen(t), dir: t.TempDir(), day: report.Day{Year: 2026, Month: 12, Day: 1}}
}

// lead stores a Lokalebasen enquiry of the person at hour h of the day.
func (e *erasedDay) lead(h int, name, email string) {
	e.t.Helper()
	body := with(e.t, fixture(e.t, "lokalebasen/enquiry_created.json"), "payload.client.name", name, "payload.client.email", email)
	insertEvent(e.t, e.db, event{kind: "lokalebasen", typ: "enquiry_created", body: body, at: time.Date(2026, 12, 1, h, 0, 0, 0, e.loc)})
}

// eraseAndMakeAgain makes the day's report the next morning, erases the
// person of email a week later and makes the report again, as syncd erase
// does, and returns the text of the Summary sheet made again and the
// mail text recorded with it.
func (e *erasedDay) eraseAndMakeAgain(email string) (summary, text string) {
	t, ctx := e.t, context.Background()
	t.Helper()
	opts := report.Options{Store: e.db, Dir: e.dir, Location: e.loc,
		Now: func() time.Time { return time.Date(2026, 12, 2, 6, 0, 0, 0, e.loc) }}
	if _, err := report.Make(ctx, e.day, opts); err != nil {
		t.Fatal(err)
	}
	s := syncd.Subject{ID: email, Keys: []syncd.Key{{Kind: syncd.KeyEmail, Value: email}}, Patterns: []string{email}}
	at(e.db, time.Date(2026, 12, 8, 14, 0, 0, 0, e.loc), func() {
		pd, err := e.db.PersonData(ctx, s)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.db.Erase(ctx, s, pd, ""); err != nil {
			t.Fatal(err)
		}
	})
	opts.Again, opts.Now = true, func() time.Time { return time.Date(2026, 12, 8, 14, 1, 0, 0, e.loc) }
	path, err := report.Make(ctx, e.day, opts)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, row := range rows(t, openBook(t, path), "Summary") {
		lines = append(lines, strings.Join(row, " | "))
	}
	recs, err := e.db.Reports(ctx, e.day.String())
	if err != nil || len(recs) != 1 {
		t.Fatalf("records: %v, %v", recs, err)
	}
	return strings.Join(lines, "\n"), recs[0].Summary
}

// noPerson fails the test if the report names the erased person.
func (e *erasedDay) noPerson(texts ...string) {
	e.t.Helper()
	for _, s := range texts {
		if strings.Contains(strings.ToLower(s), "jane") {
			e.t.Errorf("the report made again names the erased person:\n%s", s)
		}
	}
}

// TestDayOfOnlyErasedLeadsAndSubmissionsSaysNoneLeft: a day's two leads,
// one person's, were erased since, and a portal submission failed on it.
// Made again, the Summary showed "All sources 0" with "2 more leads were
// received on this day and erased since" under it, and the mail "Leads: 0"
// then "2 more leads ...": more than none, a manager read, or more than
// what? It says the 2 were received and erased since, without "more".
func TestDayOfOnlyErasedLeadsAndSubmissionsSaysNoneLeft(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	e := newErasedDay(t)
	e.lead(9, "Jane Doe", "jane.doe@example.com")
	e.lead(10, "Jane Doe", "jane.doe@example.com")
	insertEvent(t, e.db, event{kind: "eaf", typ: "portal_submission", mapState: "ignored",
		body: fixture(t, "eaf/portal_submission_error.json"), at: time.Date(2026, 12, 1, 11, 0, 0, 0, e.loc)})
	summary, text := e.eraseAndMakeAgain("jane.doe@example.com")
	want := "2 leads were received on this day and erased since (syncd erase): they are not counted or shown here."
	for _, c := range []struct{ what, got string }{{"Summary", summary}, {"mail text", text}} {
		if !strings.Contains(c.got, want) || strings.Contains(c.got, "more lead") {
			t.Errorf("the %s of a day whose only 2 leads were erased, with a portal submission:\n%s\nwant it to say %q", c.what, c.got, want)
		}
	}
	e.noPerson(summary, text)
}
