package report_test

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/syncd-dev/syncd/internal/mail/mailtest"
	"github.com/syncd-dev/syncd/internal/report"
	"github.com/syncd-dev/syncd/internal/sender"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// FuzzReportMail names a portal lit (the inside of a JSON string as a
// sender writes it) in a lead and in a failing portal submission, and
// mails the day's report through a real SMTP server (seeds: below, plus
// testdata/fuzz/FuzzReportMail). Whatever the name, the mail has the
// headers, the HTML elements and the text lines of a mail naming a plain
// portal: nothing injected.
func FuzzReportMail(f *testing.F) {
	report.LayoutOnly(f)
	for _, s := range []string{"zoopla", `zoopla\r\nBcc: x@example.com`, `<script>alert(1)</script>`, `a\nALARM: CRM paused`,
		`\u2028\u0085x`, `=?utf-8?q?x?=`, `\u0000\t`, strings.Repeat("z", 2000)} {
		f.Add(s)
	}
	srv := mailtest.Start(f, "syncd", "pw")
	want := mailShape(f, mailWith(f, srv, "zoopla"))
	f.Fuzz(func(t *testing.T, lit string) {
		m := mailWith(t, srv, lit)
		if m == nil {
			return
		}
		if got := mailShape(t, m); !slices.Equal(got, want) {
			t.Fatalf("the mail's shape changed with portal %q:\n got %q\nwant %q", lit, got, want)
		}
	})
}

// mailWith mails the report of a day with a lead from portal lit and a
// listing failing on it, and returns the message; nil when the intake
// would not take such a lead.
func mailWith(t testing.TB, srv *mailtest.Server, lit string) *mailtest.Parsed {
	t.Helper()
	return mailPortals(t, srv, lit)
}

// mailPortals mails the report of a day with a lead from the first
// portal of lits and a listing failing on each, and returns the message;
// nil when the intake would not take such a lead.
func mailPortals(t testing.TB, srv *mailtest.Server, lits ...string) *mailtest.Parsed {
	t.Helper()
	bodies := [][]byte{[]byte(`{"eaf_type":"email_lead","eaf_id":"L1","email_source":"` + lits[0] + `","contact_name":"Kim","contact_email":"kim@example.com"}`)}
	for i, lit := range lits {
		bodies = append(bodies, []byte(`{"eaf_type":"portal_submission","eaf_status":"error","eaf_action":"create","eaf_target":"`+lit+
			`","eaf_id":"S`+strconv.Itoa(i)+`","eaf_portal_reference":"R1","eaf_errors":[{"eaf_code":"ERR_X","eaf_message":"refused"}]}`))
	}
	for _, b := range bodies {
		if sender.Decode(syncd.KindEAF, b, 0).Reason != "" {
			return nil
		}
	}
	loc := copenhagen(t)
	db := openDB(t)
	for i, b := range bodies {
		typ := "portal_submission"
		if i == 0 {
			typ = "email_lead"
		}
		insertEvent(t, db, event{kind: "eaf", typ: typ, body: b, at: time.Date(2026, 11, 2, 10, i, 0, 0, loc)})
	}
	n := len(srv.Messages())
	_, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 11, Day: 2}, report.Options{Store: db, Dir: t.TempDir(),
		Location: loc, Mailer: mailer(t, srv), Now: func() time.Time { return time.Date(2026, 11, 3, 6, 0, 0, 0, loc) }})
	msgs := srv.Messages()
	if err != nil || len(msgs) != n+1 {
		t.Fatalf("mailed %d messages: %v", len(msgs)-n, err)
	}
	p, err := msgs[n].Parse()
	if err != nil {
		t.Fatalf("the mail does not parse: %v", err)
	}
	return p
}

// mailShape is what no portal name may change: the header names, the
// subject's line count, the HTML's elements and attributes, the text's
// line count.
func mailShape(t testing.TB, p *mailtest.Parsed) []string {
	t.Helper()
	var shape []string
	for k := range p.Header {
		shape = append(shape, "header "+k)
	}
	slices.Sort(shape)
	shape = append(shape, "subject lines "+strconv.Itoa(strings.Count(p.Subject, "\n")+strings.Count(p.Subject, "\r")))
	z := html.NewTokenizer(strings.NewReader(p.HTML))
	for tt := z.Next(); tt != html.ErrorToken; tt = z.Next() {
		if tok := z.Token(); tt != html.TextToken {
			var attrs []string
			for _, a := range tok.Attr {
				attrs = append(attrs, a.Key)
			}
			shape = append(shape, tt.String()+" "+tok.Data+" "+strings.Join(attrs, " "))
		}
	}
	return append(shape, "text lines "+strconv.Itoa(strings.Count(p.Text, "\n")+strings.Count(p.Text, "\r")))
}
