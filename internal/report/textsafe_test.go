package report_test

import (
	"context"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/syncd-dev/syncd/internal/mail/mailtest"
	"github.com/syncd-dev/syncd/internal/mapping"
	"github.com/syncd-dev/syncd/internal/report"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestReportMailShowsNoBidiOverride: a portal named "\u202elaicifo" (a
// right-to-left override, then the name backwards) showed in the mail's
// subject, text and HTML as "official", and the rest of the subject's
// and the text line's words after it backwards too. The override and the
// other invisible characters are left out; the name shows as it is.
func TestReportMailShowsNoBidiOverride(t *testing.T) {
	t.Parallel()
	srv := mailtest.Start(t, "syncd", "pw")
	m := mailWith(t, srv, `\u202elaicifo\u2066 \u200bx\ufeff`)
	for part, s := range map[string]string{"subject": m.Subject, "text": m.Text, "HTML": m.HTML} {
		if i := strings.IndexFunc(s, syncd.Hidden); i >= 0 {
			t.Errorf("the mail's %s holds %q: %q", part, []rune(s[i:])[0], s)
		}
		if !strings.Contains(s, "Laicifo x") {
			t.Errorf("the mail's %s does not name the portal as it is (Laicifo x): %q", part, s)
		}
	}
}

// TestReportMailSubjectStaysALine: a portal's name of 300 characters was
// the whole of the subject a mail client shows (the day, at its end, out
// of sight), and twelve failing portals were named one after another. The
// subject names a portal in at most 40 characters and three portals at
// most, counting the others, so that the day is in its first 130.
func TestReportMailSubjectStaysALine(t *testing.T) {
	t.Parallel()
	srv := mailtest.Start(t, "syncd", "pw")
	long := mailWith(t, srv, strings.Repeat("z", 300))
	if !strings.Contains(long.Subject, "failing on Z"+strings.Repeat("z", 38)+"…") {
		t.Errorf("the subject does not cut the portal's name to 40 characters: %q", long.Subject)
	}
	names := []string{"alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet", "kilo", "lima"}
	many := mailPortals(t, srv, names...)
	if !strings.Contains(many.Subject, ", 9 on 9 other portals") || strings.Contains(many.Subject, "Delta") {
		t.Errorf("the subject does not count the portals past the third: %q", many.Subject)
	}
	for _, m := range []*mailtest.Parsed{long, many} {
		if i := strings.Index(m.Subject, "Mon 2 Nov"); i < 0 || utf8.RuneCountInString(m.Subject[:i]) > 130 {
			t.Errorf("the subject's day is not in its first 130 characters: %q", m.Subject)
		}
	}
}

// TestWorkbookShowsSendersControlCharactersAsSpaces: a lead whose name
// held a NUL or an ESC showed "Kim\ufffdHansen" on the Leads sheet
// (excelize's escaping of what XML cannot hold), where the mail shows a
// space; and a name "\u202emoc.elgoog" showed as google.com. Now a
// control character shows as a space in a cell as in the mail, a
// message's line breaks stay, and the override is left out.
func TestWorkbookShowsSendersControlCharactersAsSpaces(t *testing.T) {
	t.Parallel()
	loc := copenhagen(t)
	db := openDB(t)
	body := []byte(`{"eaf_type":"email_lead","eaf_id":"L1","email_source":"zoopla","contact_name":"Kim\u0000Hansen\u001b[2J",` +
		`"contact_email":"kim@example.com","contact_phone":"\u202e55 22 11 00","contact_message_flat":"first\r\nsecond\u0007 line"}`)
	insertEvent(t, db, event{kind: "eaf", typ: "email_lead", body: body, at: time.Date(2026, 11, 2, 10, 0, 0, 0, loc)})
	path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 11, Day: 2}, report.Options{Store: db, Dir: t.TempDir(),
		Location: loc, HTMLText: mapping.HTMLText, SplitName: mapping.SplitName, Now: func() time.Time { return time.Date(2026, 11, 3, 6, 0, 0, 0, loc) }})
	if err != nil {
		t.Fatal(err)
	}
	var all []string
	for _, row := range rows(t, openBook(t, path), report.SheetLeads) {
		for _, v := range row {
			if strings.ContainsRune(v, '\ufffd') || strings.IndexFunc(v, syncd.Hidden) >= 0 {
				t.Errorf("a cell shows %q", v)
			}
			all = append(all, v)
		}
	}
	cells := strings.Join(all, "|")
	for _, want := range []string{"Kim Hansen [2J", "55 22 11 00", "first\nsecond  line"} {
		if !strings.Contains(cells, want) {
			t.Errorf("the Leads sheet does not show %q: %q", want, cells)
		}
	}
}

// TestSummaryShowsSendersTextAsOtherSheetsDo: an error code and a feed's
// agent and format that a sender sent with a NUL, a bidirectional
// override and a line break showed on the Summary as they came ("?" in a
// box, the rest of the row backwards, a one-line table's row broken),
// where the other sheets show a space and leave the override out. The
// Summary shows them as the other sheets do, each on one line.
func TestSummaryShowsSendersTextAsOtherSheetsDo(t *testing.T) {
	t.Parallel()
	loc := copenhagen(t)
	db := openDB(t)
	at := time.Date(2026, 11, 2, 10, 0, 0, 0, loc)
	odd := "\u0000Bad\u202eedoc\r\nline"
	failed := with(t, []byte(`{}`), "eaf_type", "portal_submission", "eaf_status", "error", "eaf_action", "update",
		"eaf_target", "rightmove", "eaf_id", "S1", "eaf_reference", "R1",
		"eaf_errors", []any{map[string]any{"eaf_code": "ERR" + odd, "eaf_message": "refused"}})
	insertEvent(t, db, event{kind: "eaf", typ: "portal_submission", body: failed, at: at, mapState: "ignored"})
	feed := with(t, []byte(`{}`), "eaf_type", "feed_import", "eaf_agent_name", "Agent"+odd, "eaf_format", "BLM"+odd,
		"eaf_records_modified", 3, "eaf_source", "https://feeds.example/agent.blm")
	insertEvent(t, db, event{kind: "eaf", typ: "feed_import", body: feed, at: at.Add(time.Minute), mapState: "ignored"})
	path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 11, Day: 2}, report.Options{Store: db,
		Dir: t.TempDir(), Location: loc, Now: func() time.Time { return time.Date(2026, 11, 3, 6, 0, 0, 0, loc) }})
	if err != nil {
		t.Fatal(err)
	}
	var all []string
	for _, row := range rows(t, openBook(t, path), report.SheetSummary) {
		for _, v := range row {
			if strings.ContainsAny(v, "\ufffd\r") || strings.IndexFunc(v, syncd.Hidden) >= 0 {
				t.Errorf("a cell of the Summary shows %q", v)
			}
			all = append(all, v)
		}
	}
	cells := strings.Join(all, "|")
	for _, want := range []string{"|ERR Badedoc  line|", "|Agent Badedoc  line|", "|BLM Bad"} {
		if !strings.Contains(cells, want) {
			t.Errorf("the Summary does not show %q on one line: %q", want, cells)
		}
	}
}
