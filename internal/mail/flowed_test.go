package mail_test

import (
	"context"
	"mime"
	"mime/multipart"
	"net/mail"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/syncd-dev/syncd/internal/mail/mailtest"
)

// TestTextPartIsFlowed: the text part of a report mail had lines of 190
// characters and more ("This day was not over when this report was made:
// it counts what was received until 08:48 CET, and gives ..."): on the
// wire quoted-printable broke them mid-word ("receive=" / "d until"), and
// a mail program that shows the text as sent ran them off its window or
// broke them where it liked. The part is now format=flowed (RFC 3676): as
// sent, no line is longer than 78 characters, a long one broken after a
// space kept at its end, never inside a word (a URL or an address stays
// whole, on a line of its own when longer than one); a program that reads
// format=flowed joins them back into the text syncd wrote. A line set out
// by hand (a table: two spaces in a row) is left whole, and a line that
// starts with "From " or ">" is space-stuffed, not read as quoting. The
// HTML part is as it was.
func TestTextPartIsFlowed(t *testing.T) {
	t.Parallel()
	url := "https://www.lokalebasen.dk/leje/kontorlokaler/2100-kobenhavn-o/dampfaergevej-10559?utm_source=syncd-report"
	text := "Leads report for Friday 4 December 2026 (times in Europe/Copenhagen).\n" +
		"This day was not over when this report was made: it counts what was received until 08:48 CET, " +
		"and gives no change against the days before, which are whole days.\n" +
		"Rightmove: 2 submissions, 1 failed; 1 listing failed: 1 still failing, 0 fixed later\n" +
		"See " + url + " and write to leads-report-questions@agency-with-a-long-name.example for help with this report.\n" +
		"Portal                    Submissions  Failed  Listings failed  Still failing  Fixed later\n" +
		"From Rightmove and Zoopla: 2,009 leads in all, 1,007 of them from Rightmove, the rest from Zoopla.\n" +
		"> quoted? no, a line syncd wrote\n" +
		"\n" +
		"The workbook leads-2026-12-04.xlsx is attached.\n"
	html := "<p>" + strings.Repeat("A long paragraph of HTML. ", 12) + "</p>"
	srv := mailtest.Start(t, "reports", "s3cret")
	if err := sender(t, srv, "reports", "s3cret", nil).SendHTML(context.Background(), "3 leads", text, html); err != nil {
		t.Fatal(err)
	}
	p := srv.Only(t)
	if p.Text != text {
		t.Errorf("the text as a program reading format=flowed shows it:\n%s\nwant\n%s", p.Text, text)
	}
	if p.HTML != html {
		t.Errorf("the HTML part changed:\n%s", p.HTML)
	}
	if ct := textPartType(t, srv.Messages()[0].Data); !strings.Contains(ct, "format=flowed") || !strings.HasPrefix(ct, "text/plain") {
		t.Errorf("text part's Content-Type %q: want text/plain; format=flowed", ct)
	}
	sent := strings.Split(p.TextSent, "\n")
	for _, line := range sent {
		if n := utf8.RuneCountInString(line); n > 78 && strings.Contains(strings.TrimSpace(line), " ") &&
			!strings.Contains(line, "  ") {
			t.Errorf("a line of %d characters as sent: %q", n, line)
		}
		if strings.HasPrefix(line, "From ") || strings.HasPrefix(line, ">") {
			t.Errorf("a line not space-stuffed: %q", line)
		}
	}
	for _, whole := range []string{url, "leads-report-questions@agency-with-a-long-name.example",
		"Portal                    Submissions  Failed  Listings failed  Still failing  Fixed later"} {
		if !strings.Contains(p.TextSent, whole) {
			t.Errorf("%q broken:\n%s", whole, p.TextSent)
		}
	}
	if len(sent) < 14 {
		t.Errorf("%d lines as sent: the long ones were not broken:\n%s", len(sent), p.TextSent)
	}
}

// textPartType is the Content-Type of the text/plain part of the raw
// message data, as sent.
func textPartType(t *testing.T, data []byte) string {
	t.Helper()
	msg, err := mail.ReadMessage(strings.NewReader(string(data)))
	if err != nil {
		t.Fatal(err)
	}
	var find func(ct string, r *multipart.Reader) string
	find = func(ct string, r *multipart.Reader) string {
		mt, params, _ := mime.ParseMediaType(ct)
		if mt == "text/plain" {
			return ct
		}
		if !strings.HasPrefix(mt, "multipart/") {
			return ""
		}
		if r == nil {
			r = multipart.NewReader(msg.Body, params["boundary"])
		}
		for {
			part, err := r.NextRawPart()
			if err != nil {
				return ""
			}
			pct := part.Header.Get("Content-Type")
			if mt, params, _ := mime.ParseMediaType(pct); strings.HasPrefix(mt, "multipart/") {
				if got := find(pct, multipart.NewReader(part, params["boundary"])); got != "" {
					return got
				}
			} else if mt == "text/plain" {
				return pct
			}
		}
	}
	return find(msg.Header.Get("Content-Type"), nil)
}
