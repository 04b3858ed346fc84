package report_test

import (
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/syncd-dev/syncd/internal/report"
)

// textColour and backColour find a colour for the text, and one for the
// background, in an element's style.
var (
	textColour = regexp.MustCompile(`(^|[;\s])color\s*:`)
	backColour = regexp.MustCompile(`(^|[;\s])background(-color)?\s*:`)
)

// TestMailsColoursHaveTheirBackground: the HTML part set its text's
// colours (#222 on the body, dark blue titles, grey notes) but no
// background, leaving the page's to the mail program: one in dark mode
// that keeps a message's colours and darkens what it leaves unset showed
// dark grey and dark blue on black. Each colour of text now has its
// background set with it (the body's white), and the part says it is made
// for a light background (color-scheme), so that a mail program shows its
// colours as they are, or turns them all.
func TestMailsColoursHaveTheirBackground(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	p := alarmDayMail(t)
	doc, err := html.Parse(strings.NewReader(p.HTML))
	if err != nil {
		t.Fatal(err)
	}
	scheme := false
	for n := range doc.Descendants() {
		if n.Type != html.ElementNode {
			continue
		}
		if n.Data == "meta" && attr(n, "name") == "color-scheme" && attr(n, "content") == "light" {
			scheme = true
		}
		if !textColour.MatchString(attr(n, "style")) {
			continue
		}
		back := false
		for a := n; a != nil && !back; a = a.Parent {
			back = a.Type == html.ElementNode && (backColour.MatchString(attr(a, "style")) || attr(a, "bgcolor") != "")
		}
		if !back {
			var b strings.Builder
			_ = html.Render(&b, n)
			t.Errorf("a colour of text with no background set, on it or around it: %.200s", b.String())
		}
	}
	if !scheme {
		t.Errorf("the HTML part does not say it is made for a light background (<meta name=\"color-scheme\" content=\"light\">):\n%.400s", p.HTML)
	}
}

// TestMailsTablesShadeTheirCells: the titles of the mail's tables were
// white on a dark blue set on their row (<tr style="background: ...;
// color: #fff">). Outlook, which lays out mail with Word, shades a
// table's cells, not its rows: it drew the titles white on white, the
// tables' columns unnamed. Each shaded cell now has its own background,
// as an attribute (bgcolor) too, which Word reads.
func TestMailsTablesShadeTheirCells(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	p := mail0329(t)
	doc, err := html.Parse(strings.NewReader(p.HTML))
	if err != nil {
		t.Fatal(err)
	}
	shaded := 0
	for n := range doc.Descendants() {
		if n.Type != html.ElementNode {
			continue
		}
		back := backColour.MatchString(attr(n, "style")) || attr(n, "bgcolor") != ""
		switch {
		case back && (n.Data == "tr" || n.Data == "table" || n.Data == "tbody" || n.Data == "thead"):
			t.Errorf("a background set on a <%s>, which Outlook does not shade: %s", n.Data, attr(n, "style"))
		case back && (n.Data == "td" || n.Data == "th"):
			shaded++
			if attr(n, "bgcolor") == "" || !backColour.MatchString(attr(n, "style")) {
				t.Errorf("a shaded <%s> without its background as both bgcolor and style: bgcolor=%q style=%q", n.Data, attr(n, "bgcolor"), attr(n, "style"))
			}
		}
	}
	if shaded < 9 { // the titles of both tables (2 and 6) and a Still failing figure
		t.Errorf("%d shaded cells, want the titles of both tables and a listing still failing:\n%s", shaded, p.HTML)
	}
}
