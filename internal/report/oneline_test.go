package report_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/mapping"
	"github.com/syncd-dev/syncd/internal/report"
)

// TestOneLineFieldsShowOnOneLine: a lead whose email, phone or portal
// the sender wrote with a line break in it showed on two lines on the
// Leads sheet and in the Summary's list of a day's few leads: an email
// "nl@example.com" over "Bcc: x@evil.example" read as the address and a
// note, a phone "\r55 22 11 00" as an empty line over the number, a
// portal "Zoopla" over "Bcc: victim@example.com" (the mail showed the
// portal on one line). These fields are one line, a break in them a
// space, and no blank at either end; a message keeps its lines.
func TestOneLineFieldsShowOnOneLine(t *testing.T) {
	t.Parallel()
	loc := copenhagen(t)
	db := openDB(t)
	body := []byte(`{"eaf_type":"email_lead","eaf_id":"L1","email_source":"zoopla\r\nBcc: victim@example.com",` +
		`"contact_name":"Kim Hansen","contact_email":"nl@example.com\r\nBcc: x@evil.example","contact_phone":"\r55 22 11 00\n",` +
		`"contact_message_flat":"first\r\nsecond"}`)
	insertEvent(t, db, event{kind: "eaf", typ: "email_lead", body: body, at: time.Date(2026, 11, 2, 10, 0, 0, 0, loc)})
	path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 11, Day: 2}, report.Options{Store: db, Dir: t.TempDir(),
		Location: loc, HTMLText: mapping.HTMLText, SplitName: mapping.SplitName, Now: func() time.Time { return time.Date(2026, 11, 3, 6, 0, 0, 0, loc) }})
	if err != nil {
		t.Fatal(err)
	}
	f := openBook(t, path)
	leads := rows(t, f, report.SheetLeads)
	for _, c := range []struct{ title, want string }{
		{"Source", "Zoopla  Bcc: victim@example.com"}, {"Email", "nl@example.com  Bcc: x@evil.example"},
		{"Phone", "55 22 11 00"}, {"Message", "first\nsecond"},
	} {
		col := slices.Index(leads[0], c.title)
		if col < 0 || len(leads) < 2 || col >= len(leads[1]) || leads[1][col] != c.want {
			t.Errorf("the Leads sheet's %s shows %q, want %q", c.title, leads[1:], c.want)
		}
	}
	var summary []string
	for _, r := range rows(t, f, "Summary") {
		summary = append(summary, r...)
	}
	all := strings.Join(summary, "|")
	for _, want := range []string{"nl@example.com  Bcc: x@evil.example", "55 22 11 00", "Zoopla  Bcc: victim@example.com"} {
		if !slices.ContainsFunc(summary, func(v string) bool { return strings.Contains(v, want) }) {
			t.Errorf("the Summary's list of the day's leads does not show %q on one line: %q", want, all)
		}
	}
}

// TestSummaryListShowsSendersTextAsTheLeadsSheetDoes: on a day of a few
// leads, the Summary lists them, and it wrote a sender's text as sent,
// unlike the Leads sheet and the mail: a name "Kim \u202enesnaH" (a
// right-to-left override) showed as "Kim Hansen" and turned the rest of
// its cell around, a NUL showed as "?" in a box (U+FFFD), a message's CR
// LF stayed a CR before its line feed. The list now shows each as the
// Leads sheet does (syncd.Lines): the override left out, a control
// character as a space, a message's lines kept.
func TestSummaryListShowsSendersTextAsTheLeadsSheetDoes(t *testing.T) {
	t.Parallel()
	loc := copenhagen(t)
	db := openDB(t)
	body := []byte(`{"eaf_type":"email_lead","eaf_id":"L1","email_source":"zoopla","contact_name":"Kim\u0000\u202enesnaH",` +
		`"contact_email":"kim@example.com","contact_phone":"+45 55 22 11 00","eaf_reference":"\u202eREF\u0007",` +
		`"contact_message_flat":"first\r\nsecond\u202e\u0000x"}`)
	insertEvent(t, db, event{kind: "eaf", typ: "email_lead", body: body, at: time.Date(2026, 11, 2, 10, 0, 0, 0, loc)})
	path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 11, Day: 2}, report.Options{Store: db, Dir: t.TempDir(),
		Location: loc, HTMLText: mapping.HTMLText, SplitName: mapping.SplitName, Now: func() time.Time { return time.Date(2026, 11, 3, 6, 0, 0, 0, loc) }})
	if err != nil {
		t.Fatal(err)
	}
	var summary []string
	for _, r := range rows(t, openBook(t, path), "Summary") {
		for _, v := range r {
			if strings.ContainsAny(v, "\r\ufffd\u202e\u0000") {
				t.Errorf("a cell of the Summary shows %q", v)
			}
			summary = append(summary, v)
		}
	}
	for _, want := range []string{"Kim nesnaH", "first\nsecond x", "REF"} {
		if !slices.Contains(summary, want) {
			t.Errorf("the Summary's list of the day's leads does not show %q: %q", want, strings.Join(summary, "|"))
		}
	}
}

// TestSummaryShowsEscapeLikeTextAsSent: a sender's text holding what
// Office Open XML reads as an escaped character ("_x0041_" for "A",
// "_x000D_" for a carriage return) showed on the Summary as that
// character in Excel ("_x0041_ Literal" as "A Literal"; LibreOffice
// dropped "_x000D_" and "_x0007_" and showed "_x005F_" as "_"): the Summary
// wrote its cells as sent, where the other sheets escape them. It now
// escapes them too, and shows the text as the sender wrote it.
func TestSummaryShowsEscapeLikeTextAsSent(t *testing.T) {
	t.Parallel()
	loc := copenhagen(t)
	db := openDB(t)
	insertEvent(t, db, event{kind: "eaf", typ: "email_lead", at: time.Date(2026, 11, 2, 10, 0, 0, 0, loc), body: []byte(
		`{"eaf_type":"email_lead","eaf_id":"L1","email_source":"_x0041_portal","contact_name":"_x0041_ Literal",` +
			`"contact_email":"kim@example.com","eaf_reference":"_x0042_x0043_","contact_message_flat":"lit _x000D_ and _x005F_ end"}`)})
	insertEvent(t, db, event{kind: "eaf", typ: "portal_submission", at: time.Date(2026, 11, 2, 11, 0, 0, 0, loc), mapState: "ignored", body: []byte(
		`{"eaf_type":"portal_submission","eaf_status":"error","eaf_action":"create","eaf_target":"_x0043_zoopla","eaf_id":"S1",` +
			`"eaf_portal_reference":"R1","eaf_errors":[{"eaf_code":"_x0044_","eaf_message":"refused"}]}`)})
	path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 11, Day: 2}, report.Options{Store: db, Dir: t.TempDir(),
		Location: loc, HTMLText: mapping.HTMLText, SplitName: mapping.SplitName, Now: func() time.Time { return time.Date(2026, 11, 3, 6, 0, 0, 0, loc) }})
	if err != nil {
		t.Fatal(err)
	}
	var summary []string
	for _, r := range rows(t, openBook(t, path), "Summary") {
		summary = append(summary, r...)
	}
	for _, want := range []string{"_x0041_ Literal", "_x0042_x0043_", "lit _x000D_ and _x005F_ end", "_x0041_portal", "_x0043_zoopla", "_x0044_"} {
		if !slices.Contains(summary, want) {
			t.Errorf("the Summary does not show %q as sent: %q", want, strings.Join(summary, "|"))
		}
	}
}
