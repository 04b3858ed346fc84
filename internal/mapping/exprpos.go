package mapping

import (
	"fmt"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// exprAt is the line of the file to name for an expression's error, and
// the error with expr's position at its end, (line:column) within the
// expression, said as the column in the file (n is the expression's
// value), or, where that cannot be told (escapes, a block with its
// indentation given), as within the expression, on n's line.
func (p *parser) exprAt(err error, n *yaml.Node) (int, string) {
	msg := err.Error()
	m := exprPos.FindStringSubmatchIndex(msg)
	if m == nil {
		return n.Line, msg
	}
	line, _ := strconv.Atoi(msg[m[2]:m[3]])
	col, _ := strconv.Atoi(msg[m[4]:m[5]])
	if at := p.filePos(n, line, col); at.line > 0 {
		return at.line, fmt.Sprintf("%s (at column %d)", msg[:m[0]], at.col)
	}
	if line == 1 {
		return n.Line, fmt.Sprintf("%s (at character %d of the expression)", msg[:m[0]], col)
	}
	return n.Line, fmt.Sprintf("%s (at line %d, character %d of the expression)", msg[:m[0]], line, col)
}

// pos is a place in the file: 1-based line and column (in characters);
// line 0 for none.
type pos struct{ line, col int }

// filePos is where in the file character col (1-based) of line line of
// scalar n's value is written, or the zero pos when that cannot be told.
func (p *parser) filePos(n *yaml.Node, line, col int) pos {
	value := []rune(n.Value)
	at, l := 0, 1 // the character's index in value, and its line there
	for ; l < line && at < len(value); at++ {
		if value[at] == '\n' {
			l++
		}
	}
	at += col - 1
	if l != line || col < 1 {
		return pos{}
	}
	return placeOf(p.places(n), at)
}

// placeOf is where character at (0-based) of a value is written, by its
// places; the zero pos when they do not tell.
func placeOf(places []pos, at int) pos {
	if at < 0 || at >= len(places) {
		return pos{}
	}
	return places[at]
}

// places is where each character of scalar n's value is written in the
// file (the zero pos for a line break or blank YAML makes of others), or
// nil when that cannot be told.
func (p *parser) places(n *yaml.Node) []pos {
	value := []rune(n.Value)
	switch n.Style {
	case yaml.LiteralStyle, yaml.FoldedStyle:
		return p.blockPlaces(n, value)
	case 0, yaml.SingleQuotedStyle, yaml.DoubleQuotedStyle:
		return p.flowPlaces(n, value)
	}
	return nil
}

// placer matches a scalar's value, character by character, with where
// each is written in the file.
type placer struct {
	want   []rune
	places []pos
}

// put matches the value's next character with r, written at line, col (0,
// 0 for a line break or blank that YAML makes of several characters of
// the file); false when r is not that character.
func (w *placer) put(r rune, line, col int) bool {
	if len(w.places) >= len(w.want) || w.want[len(w.places)] != r {
		return false
	}
	w.places = append(w.places, pos{line, col})
	return true
}

// putBreaks puts k line breaks.
func (w *placer) putBreaks(k int) bool {
	for range k {
		if !w.put('\n', 0, 0) {
			return false
		}
	}
	return true
}

// done reports whether every character of the value was matched.
func (w *placer) done() bool { return len(w.places) == len(w.want) }

// blockPlaces places the characters of value, a literal (|) or folded (>)
// block scalar n: the lines below its indicator indented more than the
// key, with YAML's folding of line breaks in a folded one. nil when the
// file's lines do not give value (the block's indentation given by a
// digit after the indicator, tabs).
func (p *parser) blockPlaces(n *yaml.Node, value []rune) []pos {
	if n.Line < 1 || n.Line > len(p.lines) {
		return nil
	}
	header := []rune(p.lines[n.Line-1])
	if n.Column < 1 || n.Column > len(header) {
		return nil
	}
	if h, _, _ := strings.Cut(string(header[n.Column-1:]), " "); strings.ContainsAny(h, "123456789") {
		return nil
	}
	w := &placer{want: value}
	indent, empties := -1, 0
	const (
		none   = iota
		text   // a folded block's line that starts with no blank: its line break folds
		spaced // a literal block's line, or a folded one's more indented: its line break stays
	)
	prev := none
	for i := n.Line; i < len(p.lines); i++ {
		l := p.lines[i]
		lead := len(l) - len(strings.TrimLeft(l, " "))
		if strings.TrimLeft(l, " ") == "" && (indent < 0 || lead <= indent) {
			empties++
			continue
		}
		if indent < 0 {
			indent = lead
		}
		if lead < indent {
			break
		}
		rest := []rune(l[indent:])
		kind := spaced
		if n.Style == yaml.FoldedStyle && rest[0] != ' ' && rest[0] != '\t' {
			kind = text
		}
		ok := true
		switch {
		case prev == none:
			ok = w.putBreaks(empties)
		case prev == text && kind == text && empties == 0:
			ok = w.put(' ', 0, 0)
		case prev == text && kind == text:
			ok = w.putBreaks(empties)
		default:
			ok = w.putBreaks(empties + 1)
		}
		for j, r := range rest {
			ok = ok && w.put(r, i+1, indent+j+1)
		}
		if !ok {
			return nil
		}
		prev, empties = kind, 0
	}
	for len(w.places) < len(w.want) { // the line breaks at its end that it keeps (|, |+)
		if !w.put('\n', 0, 0) {
			return nil
		}
	}
	return w.places
}

// flowPlaces places the characters of value, a scalar n written in
// quotes or none, on one line or over several (each line break between
// two lines read as a blank, a line between as a line break). nil when
// the file's lines do not give value (an escape other than \" and \\).
func (p *parser) flowPlaces(n *yaml.Node, value []rune) []pos {
	if n.Line < 1 || n.Line > len(p.lines) {
		return nil
	}
	w := &placer{want: value}
	start := n.Column - 1 // index in the line of the value's first character
	if n.Style != 0 {
		start++ // after the quote
	}
	empties := 0
	for i := n.Line - 1; i < len(p.lines) && !w.done(); i++ {
		line := []rune(p.lines[i])
		if i > n.Line-1 {
			text := strings.TrimLeft(p.lines[i], " \t")
			if text == "" { // a line with nothing on it
				empties++
				continue
			}
			start = len(p.lines[i]) - len(text) // blanks: as many characters as bytes
			if empties == 0 && !w.put(' ', 0, 0) || !w.putBreaks(empties) {
				return nil
			}
			empties = 0
		}
		if start > len(line) {
			return nil
		}
		end := len([]rune(strings.TrimRight(string(line), " \t")))
		for j := start; j < end && !w.done(); j++ {
			r, col := line[j], j+1
			switch {
			case n.Style == yaml.SingleQuotedStyle && r == '\'':
				if j+1 >= len(line) || line[j+1] != '\'' {
					return nil // the closing quote, before the whole value
				}
				j++
			case n.Style == yaml.DoubleQuotedStyle && r == '\\':
				if j+1 >= len(line) || line[j+1] != '"' && line[j+1] != '\\' {
					return nil
				}
				j++
				r, col = line[j], j+1
			case n.Style == yaml.DoubleQuotedStyle && r == '"':
				return nil
			}
			if !w.put(r, i+1, col) {
				return nil
			}
		}
	}
	if !w.done() {
		return nil
	}
	return w.places
}
