package report_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/text/unicode/bidi"

	"github.com/syncd-dev/syncd/internal/mail/mailtest"
	"github.com/syncd-dev/syncd/internal/report"
	"github.com/syncd-dev/syncd/internal/sqlite"
)

// TestRightToLeftNamesKeepTheirCounts: a portal or lead source named in
// Arabic or Hebrew took the count after it into its own right-to-left
// reading, as the Unicode bidirectional algorithm has every mail program
// do. The subject "2 listings failing on عقارات, 1 on Rightmove" showed
// as "2 listings failing on 1 ,عقارات on Rightmove", the count beside the
// wrong portal; the text's "Leads: 3 (عقارات 2, Zoopla 1)" showed "2
// عقارات" after Rightmove's count; "Listings still failing among the 2
// others: عقارات 2, Zoopla 1" likewise, in the mail and on the Summary; and
// a text line starting with the name ("عقارات: 2 submissions, ...") was
// shown right to left whole by a mail program taking a line's direction
// from its first letter, its figures in reverse order. Such a name is now
// set apart by left-to-right marks (U+200E, invisible), so that every
// count reads beside the name it belongs to, and every line left to right.
func TestRightToLeftNamesKeepTheirCounts(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	const arabic, hebrew = "عقارات", "נדלן"
	srv := mailtest.Start(t, "syncd", "pw")
	day := time.Date(2026, 6, 2, 0, 0, 0, 0, time.UTC)
	at := func(m int) time.Time { return day.Add(8*time.Hour + time.Duration(m)*time.Minute) }
	lead := fixture(t, "eaf/email_lead.json")

	// A day of three portals, the one named in Arabic failing most, and
	// leads from sources named in Arabic and Hebrew.
	first := openDB(t)
	for i, ref := range []string{"A1", "A2"} {
		submission(t, first, time.UTC, at(i), arabic, ref, "error", "ERR_X")
	}
	submission(t, first, time.UTC, at(3), "rightmove", "B1", "error", "ERR_X")
	submission(t, first, time.UTC, at(4), "zoopla", "C1", "error", "ERR_X")
	for i, source := range []string{arabic, arabic, hebrew, "zoopla"} {
		insertEvent(t, first, event{kind: "eaf", typ: "email_lead", at: at(10 + i),
			body: with(t, lead, "eaf_id", fmt.Sprint("L", i), "email_source", source)})
	}
	// A day of nine portals: seven failing most, listed, and the others
	// summed, among them the one named in Arabic failing more than Zoopla.
	folded := openDB(t)
	for p, name := range []string{"alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf"} {
		for k := range 3 {
			submission(t, folded, time.UTC, at(p*3+k), name, fmt.Sprint(name, k), "error", "ERR_X")
		}
	}
	submission(t, folded, time.UTC, at(30), arabic, "A1", "error", "ERR_X")
	submission(t, folded, time.UTC, at(31), arabic, "A2", "error", "ERR_X")
	submission(t, folded, time.UTC, at(32), "zoopla", "C1", "error", "ERR_X")

	for _, c := range []struct {
		db   *sqlite.DB
		want string // what the mail names, to be sure it names the portal
	}{{first, "failing on \u200e" + arabic}, {folded, "among the 2 others: \u200e" + arabic}} {
		n := len(srv.Messages())
		path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 6, Day: 2}, report.Options{
			Store: c.db, Dir: t.TempDir(), Location: time.UTC, Mailer: mailer(t, srv),
			Now: func() time.Time { return day.Add(30 * time.Hour) }})
		if err != nil {
			t.Fatal(err)
		}
		msgs := srv.Messages()
		if len(msgs) != n+1 {
			t.Fatalf("%d messages, want 1", len(msgs)-n)
		}
		p, err := msgs[n].Parse()
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(p.Subject+p.Text, c.want) {
			t.Errorf("the mail does not name the portal as %q:\n%s\n%s", c.want, p.Subject, p.Text)
		}
		// A text line is shown by its own direction; the HTML's
		// paragraphs and cells, and the Summary's cells, left to right
		// (the page's), a cell with a name alone reading as it should.
		for _, l := range append([]string{p.Subject}, strings.Split(p.Text, "\n")...) {
			if why := rightToLeftTrouble(l, true); why != "" {
				t.Errorf("%s:\n%q", why, l)
			}
		}
		cells := htmlBlocks(t, p.HTML)
		for _, r := range rows(t, openBook(t, path), "Summary") {
			cells = append(cells, r...)
		}
		for _, l := range cells {
			if why := rightToLeftTrouble(l, false); why != "" {
				t.Errorf("%s:\n%q", why, l)
			}
		}
	}
}

// rightToLeftTrouble says how a line of the mail reads wrong in a mail
// program, by the Unicode bidirectional algorithm (UAX #9), "" when it
// does not: with byItself, a line whose first letter is of a
// right-to-left script is shown right to left whole (rule P2, as a mail
// program showing a text line by its own direction does); a number after such a letter,
// with no left-to-right letter or mark between, joins its reading (rule
// W2): "عقارات, 10 on" shows as "10 ,عقارات on".
func rightToLeftTrouble(line string, byItself bool) string {
	seen, last := false, bidi.L // no strong letter yet
	for i, r := range line {
		p, _ := bidi.LookupRune(r)
		switch cl := p.Class(); cl {
		case bidi.L, bidi.R, bidi.AL:
			if byItself && !seen && cl != bidi.L {
				return "the line starts with a right-to-left letter: shown right to left whole"
			}
			seen, last = true, cl
		case bidi.EN:
			if last == bidi.R || last == bidi.AL {
				return fmt.Sprintf("the number at byte %d follows a right-to-left name: it joins its reading", i)
			}
		}
	}
	return ""
}

// htmlBlocks is the text of each paragraph, heading and table cell of
// the HTML part: each a line of its own on screen.
func htmlBlocks(t *testing.T, s string) []string {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(s))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for n := range doc.Descendants() {
		if n.Type != html.ElementNode || !strings.Contains(" p h2 h3 td th ", " "+n.Data+" ") {
			continue
		}
		var b strings.Builder
		for c := range n.Descendants() {
			if c.Type == html.TextNode {
				b.WriteString(c.Data)
			}
		}
		out = append(out, b.String())
	}
	return out
}
