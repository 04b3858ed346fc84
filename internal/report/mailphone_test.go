package report_test

import (
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"

	"github.com/syncd-dev/syncd/internal/mail/mailtest"
	"github.com/syncd-dev/syncd/internal/report"
)

// phoneWidth is the width in CSS pixels a mail program on a phone 390
// pixels wide (an iPhone 12 to 15) gives the message: the screen less the
// 8-pixel margins of the body.
const phoneWidth = 390 - 2*8

// TestMailsTablesFitAPhone: on a phone the mail's portal table, seven
// columns side by side (the portal's name, then Submissions, Failed,
// Listings failed, Still failing, Portal retries, Fixed later), was some
// 480 pixels wide on a day of three portals and 660 with a portal named
// Rightmove_commercial_overseas_lettings, on a screen of 374: the mail
// program cut the columns on the right, Still failing among them, or
// shrank the whole mail to a size nobody reads. Each of its tables now
// fits a phone's width: a portal's name on a line of its own above its
// figures, breaking where it must, and the figures' titles in two lines.
func TestMailsTablesFitAPhone(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	srv := mailtest.Start(t, "syncd", "pw")
	for _, lits := range [][]string{
		{"rightmove", "zoopla", "onthemarket"},
		{"Rightmove_commercial_overseas_lettings", "rightmove", "Ejendomstorvet", strings.Repeat("z", 60)},
	} {
		p := mailPortals(t, srv, lits...)
		doc, err := html.Parse(strings.NewReader(p.HTML))
		if err != nil {
			t.Fatal(err)
		}
		tables := 0
		for n := range doc.Descendants() {
			if n.Type != html.ElementNode || n.Data != "table" {
				continue
			}
			tables++
			if w := tableWidth(n); w > phoneWidth {
				t.Errorf("portals %q: a table is at least %.0f pixels wide, where a phone shows %d:\n%s",
					lits, w, phoneWidth, strings.Join(htmlLines(t, p), "\n"))
			}
		}
		if tables != 2 {
			t.Errorf("portals %q: %d tables, want the sources' and the portals'", lits, tables)
		}
	}
}

// tableWidth is the least width a mail program can lay table out in
// (its min-content width): each column as wide as the widest word of its
// cells, with the cells' padding. It errs wide: a letter is taken as 0.55
// of the font's size, 0.6 in bold (Arial's, which a phone shows for
// Calibri, average some 0.5), and a letter of a wide script (Chinese) as
// 1. A cell spanning columns must fit the table alone.
func tableWidth(table *html.Node) float64 {
	pad := 1.0 // HTML's default cellpadding
	if v, err := strconv.ParseFloat(attr(table, "cellpadding"), 64); err == nil {
		pad = v
	}
	var cols []float64
	widest := 0.0
	for tr := range table.Descendants() {
		if tr.Type != html.ElementNode || tr.Data != "tr" {
			continue
		}
		col := 0
		for td := tr.FirstChild; td != nil; td = td.NextSibling {
			if td.Type != html.ElementNode || (td.Data != "td" && td.Data != "th") {
				continue
			}
			w := cellWidth(td, pad)
			span, err := strconv.Atoi(attr(td, "colspan"))
			if err != nil || span < 1 {
				span = 1
			}
			if span > 1 {
				widest = max(widest, w)
			} else {
				for len(cols) <= col {
					cols = append(cols, 0)
				}
				cols[col] = max(cols[col], w)
			}
			col += span
		}
	}
	sum := 0.0
	for _, w := range cols {
		sum += w
	}
	return max(sum, widest)
}

// cellWidth is the width of a cell's widest word at its font's size and
// weight (inherited from its row, table and the body's 15 pixels), with
// the padding either side. Words break at spaces, at a soft hyphen (the
// hyphen shown) and after a hyphen; a cell styled to break a word where it
// must (overflow-wrap: anywhere) at any letter.
func cellWidth(td *html.Node, pad float64) float64 {
	size, bold, anywhere := 15.0, td.Data == "th", false
	for n := td; n != nil; n = n.Parent { // the nearest size given
		if s := styleOf(n, "font-size"); s != "" {
			if v, err := strconv.ParseFloat(strings.TrimSuffix(s, "px"), 64); err == nil {
				size = v
				break
			}
		}
	}
	for n := td; n != nil && n.Data != "table"; n = n.Parent {
		bold = bold || styleOf(n, "font-weight") == "bold"
		anywhere = anywhere || styleOf(n, "overflow-wrap") == "anywhere" || styleOf(n, "word-break") == "break-all" ||
			styleOf(n, "word-break") == "break-word"
	}
	var text strings.Builder
	for n := range td.Descendants() {
		if n.Type == html.TextNode {
			text.WriteString(n.Data)
		}
		bold = bold || n.Type == html.ElementNode && (n.Data == "strong" || n.Data == "b")
	}
	em := 0.55
	if bold {
		em = 0.6
	}
	widest := 0.0
	for _, field := range strings.Fields(text.String()) {
		for _, w := range words(field) {
			var width float64
			for _, r := range w {
				l := em
				if utf8.RuneLen(r) >= 3 && !unicode.In(r, unicode.Arabic, unicode.Hebrew) {
					l = 1
				}
				if anywhere {
					width = max(width, l*size)
				} else {
					width += l * size
				}
			}
			widest = max(widest, width)
		}
	}
	return widest + 2*pad
}

// words are the pieces a line may break field (no spaces) into: after a
// hyphen, and at a soft hyphen, which then shows as one.
func words(field string) []string {
	var out []string
	for _, part := range strings.SplitAfter(field, "-") {
		soft := strings.Split(part, "\u00ad")
		for i, w := range soft {
			if i < len(soft)-1 {
				w += "-"
			}
			out = append(out, w)
		}
	}
	return out
}

// attr is n's attribute key, "" when it has none.
func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// styleOf is the value n's style attribute gives property, "" for none.
func styleOf(n *html.Node, property string) string {
	for _, decl := range strings.Split(attr(n, "style"), ";") {
		if k, v, ok := strings.Cut(decl, ":"); ok && strings.TrimSpace(k) == property {
			return strings.TrimSpace(v)
		}
	}
	return ""
}
