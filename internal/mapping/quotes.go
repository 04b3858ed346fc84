package mapping

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// Typographic quotes are what a word processor, a web page or a mail makes
// of the straight quotes of an example: YAML reads them as part of the
// text, so `{const: “lead”}` sent the quotes to the CRM with the word.

// opening and closing are the typographic quotes a value copied from
// such a text may begin and end with (English “…” ‘…’, Danish and German
// „…“ ‚…‘, Swedish ”…”).
const (
	opening = "“”„‘’‚"
	closing = "”“’‘"
)

// smartQuoted reports whether a plain (unquoted) YAML scalar's text is
// wrapped in typographic quotes: one written in straight quotes keeps
// them as meant ('“Villa”').
func smartQuoted(n *yaml.Node) bool {
	if n.Kind != yaml.ScalarNode || n.Style&(yaml.SingleQuotedStyle|yaml.DoubleQuotedStyle) != 0 || utf8.RuneCountInString(n.Value) < 2 {
		return false
	}
	first, _ := utf8.DecodeRuneInString(n.Value)
	last, _ := utf8.DecodeLastRuneInString(n.Value)
	return strings.ContainsRune(opening, first) && strings.ContainsRune(closing, last)
}

// typographicQuotes reports each key and value of the document n wrapped
// in typographic quotes, with its line and column; it returns whether it
// found any.
func (p *parser) typographicQuotes(n *yaml.Node) bool {
	found := false
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if smartQuoted(n) {
			found = true
			p.errf(n.Line, "", "column %d: %s is in typographic quotes (pasted from a word processor, a web page or a mail?), "+
				"which YAML keeps as part of the text: type straight quotes (' or \") or none; to keep the quotes themselves, "+
				"put it in straight ones ('%s')", n.Column, n.Value, n.Value)
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(n)
	return found
}

// quoteHint adds to an expression's error about an unrecognized
// typographic quote what to type instead.
func quoteHint(msg string) string {
	for _, q := range opening + closing {
		if strings.Contains(msg, fmt.Sprintf("unrecognized character: %U", q)) {
			return msg + ` (a typographic quote, pasted from a word processor, a web page or a mail?): type a straight one, " or '`
		}
	}
	return msg
}
