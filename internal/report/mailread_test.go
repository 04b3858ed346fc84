package report_test

import (
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/syncd-dev/syncd/internal/mail/mailtest"
)

// htmlLines is the mail's HTML part as a mail program shows it, in lines
// of text: a paragraph, heading or table row a line, a row's cells
// separated by " | ", runs of white space one space, the title left out.
func htmlLines(t testing.TB, p *mailtest.Parsed) []string {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(p.HTML))
	if err != nil {
		t.Fatalf("the HTML part does not parse: %v", err)
	}
	var lines []string
	var line strings.Builder
	flush := func() {
		if s := strings.Join(strings.Fields(line.String()), " "); s != "" {
			lines = append(lines, s)
		}
		line.Reset()
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch {
		case n.Type == html.TextNode:
			line.WriteString(n.Data)
			return
		case n.Type == html.ElementNode && (n.Data == "head" || n.Data == "style"):
			return
		case n.Type == html.ElementNode && (n.Data == "td" || n.Data == "th") && cellBefore(n):
			line.WriteString(" | ")
		}
		block := n.Type == html.ElementNode && strings.Contains(" p h1 h2 h3 h4 div tr table br li ul ", " "+n.Data+" ")
		if block {
			flush()
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		if block {
			flush()
		}
	}
	walk(doc)
	flush()
	return lines
}

// cellBefore reports whether a table cell n has another cell before it in
// its row.
func cellBefore(n *html.Node) bool {
	for c := n.PrevSibling; c != nil; c = c.PrevSibling {
		if c.Type == html.ElementNode {
			return true
		}
	}
	return false
}

// textLines is the mail's plain-text part in lines, the empty ones left
// out.
func textLines(p *mailtest.Parsed) []string {
	var out []string
	for _, l := range strings.Split(p.Text, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}
