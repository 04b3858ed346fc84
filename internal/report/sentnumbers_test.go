package report_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/report"
)

// TestNumbersShowAsTheSenderSentThem: a lead's phone, name, email or
// company, a portal's error message, a feed import's agent or feed sent
// as a JSON number showed in the workbook and the mail as gjson writes it
// through a float64: 1e999999999 as "+Inf", 1e-400 as "0",
// 1.2345678901234567890123e22 with its last digits changed and a long
// fraction rounded. Each now shows as the sender wrote it, in plain
// digits, or "out of range" where no number syncd passes on holds it (as
// the report says of ids).
func TestNumbersShowAsTheSenderSentThem(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	db := openDB(t)
	at := time.Date(2026, 6, 2, 9, 0, 0, 0, time.UTC)
	const (
		long    = "1.2345678901234567890123e22"
		longOut = "12345678901234567890123"
		frac    = "0.12345678901234567890"
		fracOut = "0.1234567890123456789"
		agent   = "9.87654321098765432109e25"
		agentTo = "98765432109876543210900000"
		message = "7.6543210987654321098e-3"
		msgOut  = "0.0076543210987654321098"
	)
	insertEvent(t, db, event{kind: "lokalebasen", typ: "enquiry_created", at: at,
		body: with(t, fixture(t, "lokalebasen/enquiry_created.json"),
			"payload.client.name", json.Number(long), "payload.client.email", json.Number(frac),
			"payload.client.phone", json.Number("1e999999999"), "payload.client.company", json.Number("1e-400"))})
	insertEvent(t, db, event{kind: "eaf", typ: "email_lead", at: at.Add(time.Hour),
		body: with(t, fixture(t, "eaf/email_lead.json"), "email_source", json.Number("-1e999999999"),
			"contact_phone", json.Number("4.4e11"))})
	insertEvent(t, db, event{kind: "eaf", typ: "portal_submission", at: at.Add(2 * time.Hour), mapState: "ignored",
		body: with(t, fixture(t, "eaf/portal_submission_error.json"),
			"eaf_errors", []any{map[string]any{"eaf_code": "E1", "eaf_message": json.Number(message)}})})
	insertEvent(t, db, event{kind: "eaf", typ: "feed_import", at: at.Add(3 * time.Hour), mapState: "ignored",
		body: with(t, fixture(t, "eaf/feed_import.json"), "eaf_agent_name", json.Number(agent),
			"eaf_source", json.Number("1e-400"))})
	ctx := context.Background()
	path, err := report.Make(ctx, report.Day{Year: 2026, Month: 6, Day: 2},
		report.Options{Store: db, Dir: t.TempDir(), Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	f := openBook(t, path)
	leads := rows(t, f, "Leads")
	col := func(title string) int { return slices.Index(leads[0], title) }
	cell := func(row int, title string) string {
		if c := col(title); c >= 0 && row < len(leads) && c < len(leads[row]) {
			return leads[row][c]
		}
		return ""
	}
	for _, c := range []struct {
		row         int
		title, want string
	}{
		{1, "First name", longOut}, {1, "Email", fracOut}, {1, "Phone", "out of range"}, {1, "Company", "out of range"},
		{2, "Source", "Out of range"}, {2, "Phone", "440000000000"},
	} {
		if got := cell(c.row, c.title); got != c.want {
			t.Errorf("lead %d's %s %q, want %q", c.row, c.title, got, c.want)
		}
	}
	var failure, imported []string
	for _, r := range rows(t, f, "Portal failures") {
		if slices.Contains(r, "Rightmove") {
			failure = r
		}
	}
	for _, r := range rows(t, f, "Feed imports") {
		if slices.Contains(r, agentTo) {
			imported = r
		}
	}
	if !slices.Contains(failure, "E1: "+msgOut) {
		t.Errorf("the portal failure %q lacks its message %q", failure, "E1: "+msgOut)
	}
	if !slices.Contains(imported, "out of range") {
		t.Errorf("the feed import %q: want its agent %s and its feed out of range", imported, agentTo)
	}
	for _, sheet := range f.GetSheetList() {
		for i, r := range rows(t, f, sheet) {
			for j, v := range r {
				if strings.Contains(v, "Inf") {
					t.Errorf("%s row %d column %d: %q", sheet, i+1, j+1, v)
				}
			}
		}
	}
	recs, err := db.Reports(ctx, "2026-06-02")
	if err != nil || len(recs) != 1 {
		t.Fatalf("recorded %+v, %v", recs, err)
	}
	if text := recs[0].Summary; strings.Contains(text, "Inf") || !strings.Contains(text, "Out of range 1") {
		t.Errorf("the mail's text names the lead's source %q:\n%s", "Out of range", text)
	}
}
