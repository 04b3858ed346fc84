package mapping

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// exprAt is an expression's error with expr's position at its end,
// (line:column) within the expression, which reads as the file's line 1,
// said as the column in the file (n is the expression's value), or,
// where that cannot be told (a value over several lines, escapes), as
// within the expression.
func (p *parser) exprAt(err error, n *yaml.Node) string {
	msg := err.Error()
	m := exprPos.FindStringSubmatchIndex(msg)
	if m == nil {
		return msg
	}
	line, _ := strconv.Atoi(msg[m[2]:m[3]])
	col, _ := strconv.Atoi(msg[m[4]:m[5]])
	if c := p.fileColumn(n, line, col); c > 0 {
		return fmt.Sprintf("%s (at column %d)", msg[:m[0]], c)
	}
	if line == 1 {
		return fmt.Sprintf("%s (at character %d of the expression)", msg[:m[0]], col)
	}
	return fmt.Sprintf("%s (at line %d, character %d of the expression)", msg[:m[0]], line, col)
}

// fileColumn is the column in the file of character col (1-based) of
// line 1 of scalar n's value, or 0 when it cannot be told: the value is
// written over several lines, in a block, or with escapes other than a
// doubled ' or a \" and \\. The character found there must be the one
// meant.
func (p *parser) fileColumn(n *yaml.Node, line, col int) int {
	value := []rune(n.Value)
	if line != 1 || col < 1 || col > len(value) || n.Line < 1 || n.Line > len(p.lines) {
		return 0
	}
	before := string(value[:col-1])
	start, width := n.Column+1, utf8.RuneCountInString(before) // after the opening quote
	switch n.Style {
	case yaml.SingleQuotedStyle:
		width += strings.Count(before, "'")
	case yaml.DoubleQuotedStyle:
		if strings.ContainsFunc(before, unicode.IsControl) {
			return 0
		}
		width += strings.Count(before, `"`) + strings.Count(before, `\`)
	case 0:
		start = n.Column
	default:
		return 0
	}
	text := []rune(p.lines[n.Line-1])
	if at := start + width; at <= len(text) && text[at-1] == value[col-1] {
		return at
	}
	return 0
}
