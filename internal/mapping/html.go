package mapping

import (
	"regexp"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// blockAtoms are elements that start a new line in plain text; the true
// ones are paragraphs, followed by an empty line.
var blockAtoms = map[atom.Atom]bool{
	atom.P: true, atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true,
	atom.H5: true, atom.H6: true, atom.Blockquote: true, atom.Pre: true, atom.Table: true,
	atom.Div: false, atom.Li: false, atom.Tr: false, atom.Ul: false, atom.Ol: false, atom.Hr: false,
}

// newline ends the current line unless it is already ended; para adds an
// empty line after it.
func newline(b *strings.Builder, para bool) {
	if s := b.String(); s != "" && !strings.HasSuffix(s, "\n") {
		b.WriteByte('\n')
	}
	if para {
		b.WriteByte('\n')
	}
}

// HTMLText turns an HTML fragment into plain text: tags are removed,
// entities decoded, script and style contents dropped, block elements and
// <br> become line breaks, and runs of spaces collapse. Lines are trimmed and
// at most one empty line separates paragraphs. A "<" that starts no tag
// (escapeStrayLT) is text, as a person wrote it.
func HTMLText(s string) string {
	if !strings.ContainsAny(s, "<&") {
		return tidyLines(s)
	}
	s = escapeStrayLT(s)
	// Markup that breaks lines makes the text's own line breaks white space,
	// as a browser shows them: "a<br />\nb" (PHP's nl2br) is two lines, not
	// three. Without such markup they are the writer's line breaks.
	wrap := breakMarkup.MatchString(s)
	z := html.NewTokenizer(strings.NewReader(s))
	var b strings.Builder
	skip, pre := 0, 0 // depth inside <script>/<style>, and <pre>
	for {
		switch z.Next() {
		case html.ErrorToken:
			return tidyLines(b.String())
		case html.TextToken:
			switch {
			case skip > 0:
			case wrap && pre == 0:
				b.WriteString(lineBreaks.Replace(string(z.Text())))
			default:
				b.Write(z.Text())
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			if a == atom.Script || a == atom.Style {
				skip++
			}
			if a == atom.Pre {
				pre++
			}
			if a == atom.Br {
				b.WriteByte('\n')
			} else if _, ok := blockAtoms[a]; ok {
				newline(&b, false)
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			if (a == atom.Script || a == atom.Style) && skip > 0 {
				skip--
			}
			if a == atom.Pre && pre > 0 {
				pre--
			}
			if para, ok := blockAtoms[a]; ok {
				newline(&b, para)
			}
		}
	}
}

// tidyLines collapses spaces within each line, trims lines and keeps at most
// one empty line in a row, with none at the start or end.
func tidyLines(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	lines := strings.Split(s, "\n")
	out := make([]string, 0, len(lines))
	blank := false
	for _, l := range lines {
		l = collapseSpace(strings.ReplaceAll(l, "\u00a0", " "))
		if l == "" {
			blank = len(out) > 0
			continue
		}
		if blank {
			out = append(out, "")
			blank = false
		}
		out = append(out, l)
	}
	return strings.Join(out, "\n")
}

// breakMarkup matches a tag that breaks lines: <br> or a block element.
var breakMarkup = regexp.MustCompile(`(?i)</?(br|p|div|li|tr|h[1-6]|blockquote|pre|table|ul|ol|hr)[\s/>]`)

// lineBreaks turns line breaks into spaces.
var lineBreaks = strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ")

// tagAt matches what a "<" starts in markup: a whole tag (its name, any
// attributes and the closing ">"), or a comment, doctype or CDATA section
// (<!--, <!DOCTYPE, <![CDATA[) or a processing instruction (<?xml).
var tagAt = regexp.MustCompile(`^(?:</?([A-Za-z][A-Za-z0-9:-]*)(?:\s[^<>]*)?/?>|<![A-Za-z\[-]|<\?[A-Za-z])`)

// escapeStrayLT escapes each "<" that does not start a known HTML element's
// tag or a comment (an address in angle brackets, "Jo <jo@example.com>",
// is text too). The text a sender calls HTML is often a person's own
// with a few tags ("Budget <ca. 200 m2<br>Thanks", "5000<x<8000 kr"): an
// HTML parser takes such a "<" for a tag that runs to the next ">" or to
// the end, and what the person wrote after it was lost.
func escapeStrayLT(s string) string {
	if !strings.Contains(s, "<") {
		return s
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '<')
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		s = s[i:]
		if m := tagAt.FindStringSubmatch(s); m != nil && isElement(m[1]) {
			b.WriteByte('<')
		} else {
			b.WriteString("&lt;")
		}
		s = s[1:]
	}
}

// isElement reports whether name, a tag's name as tagAt read it, is one to
// read as markup: an HTML element, or a namespaced or custom one (Word's
// <o:p>, <my-widget>). "" is a comment, doctype or the like.
func isElement(name string) bool {
	return name == "" || strings.ContainsAny(name, ":-") || atom.Lookup([]byte(strings.ToLower(name))) != 0
}
