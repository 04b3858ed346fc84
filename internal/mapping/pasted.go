package mapping

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/syncd-dev/syncd/internal/syncd"

	"go.yaml.in/yaml/v3"
)

// Pasted text: typographic quotes and invisible blanks.
//
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

// oddBlank finds in a key a blank other than a plain space (a no-break
// space, a tab) or an invisible character (a zero-width space), which a
// name pasted from a web page or a mail may hold: unseen, it makes the
// key another name than the one it shows ("company\u00a0" is no CRM
// property). It gives the 0-based column of the first and what it is;
// what is "" when there is none.
func oddBlank(key string) (col int, what string) {
	for i, r := range []rune(key) {
		switch {
		case r == '\u00a0':
			return i, "a no-break space (U+00A0)"
		case r != ' ' && unicode.IsSpace(r), syncd.Hidden(r):
			return i, fmt.Sprintf("an invisible character (%U)", r)
		}
	}
	return 0, ""
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
