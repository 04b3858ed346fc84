package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"unicode"
	"unicode/utf8"

	"github.com/mattn/go-isatty"
)

// terminalSafe is w, or, when w is a terminal, w behind a writer that shows
// control characters and bytes that are not UTF-8 as escapes (\x1b, \xf8).
// Commands print what senders wrote (an event type in events list, a
// quarantined body in events show -quarantined): a hostile sender's escape
// sequences would otherwise move the cursor, erase lines or retitle the
// operator's terminal. Output to a file or pipe (a quarantined body saved
// for repair) stays byte for byte.
func terminalSafe(w io.Writer) io.Writer {
	if f, ok := w.(*os.File); ok && isatty.IsTerminal(f.Fd()) {
		return ctlEscaper{w}
	}
	return w
}

// table lays out tab-separated cells in columns on a command's output.
type table struct {
	io.Writer
	tw *tabwriter.Writer
}

// newTable returns a table printed on w, a command's output. On a terminal
// the cells are escaped before they are laid out, so a column is as wide as
// its escaped text (measured before escaping, rows with escapes spilled
// past their column).
func newTable(w io.Writer) table {
	if e, ok := w.(ctlEscaper); ok {
		tw := tabwriter.NewWriter(e.w, 0, 4, 2, ' ', 0)
		return table{Writer: ctlEscaper{tw}, tw: tw}
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	return table{Writer: tw, tw: tw}
}

// newPageTable returns a table for one page of a listing printed on w:
// the caller writes the heading above every page, so that each page's
// columns are at least as wide as their heading, and it is printed above
// the first page only (heading set).
func newPageTable(w io.Writer, heading bool) table {
	if heading {
		return newTable(w)
	}
	if e, ok := w.(ctlEscaper); ok {
		return newTable(ctlEscaper{&dropFirstLine{w: e.w}})
	}
	return newTable(&dropFirstLine{w: w})
}

// dropFirstLine writes to w what is written to it after its first line.
type dropFirstLine struct {
	w       io.Writer
	dropped bool
}

func (d *dropFirstLine) Write(p []byte) (int, error) {
	n := len(p)
	if !d.dropped {
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			return n, nil
		}
		d.dropped, p = true, p[i+1:]
	}
	if len(p) == 0 {
		return n, nil
	}
	_, err := d.w.Write(p)
	return n, err
}

// Flush writes the table laid out.
func (t table) Flush() error { return t.tw.Flush() }

// ctlEscaper escapes what a terminal would act on, and the format
// characters that show as nothing or reorder the text after them (a
// zero-width space, a right-to-left override); line feeds and tabs
// (syncd's own layout) pass.
type ctlEscaper struct{ w io.Writer }

func (e ctlEscaper) Write(p []byte) (int, error) {
	out := make([]byte, 0, len(p))
	for i := 0; i < len(p); {
		r, n := utf8.DecodeRune(p[i:])
		switch {
		case r == utf8.RuneError && n == 1, r < 0x20 && r != '\n' && r != '\t', r == 0x7f:
			out = append(out, '\\', 'x', hexDigit[p[i]>>4], hexDigit[p[i]&0xf])
		case r >= 0x80 && r <= 0x9f: // C1 controls, such as CSI
			out = append(out, '\\', 'u', '0', '0', hexDigit[r>>4], hexDigit[r&0xf])
		case unicode.Is(unicode.Cf, r): // invisible, or reorders what follows: text that is not what it looks like
			out = appendRuneEscape(out, r)
		default:
			out = append(out, p[i:i+n]...)
		}
		i += n
	}
	if _, err := e.w.Write(out); err != nil {
		return 0, err
	}
	return len(p), nil
}

const hexDigit = "0123456789abcdef"

// appendRuneEscape writes r as \uXXXX, or \UXXXXXXXX past U+FFFF.
func appendRuneEscape(out []byte, r rune) []byte {
	if r > 0xffff {
		return fmt.Appendf(out, `\U%08x`, r)
	}
	return fmt.Appendf(out, `\u%04x`, r)
}

// cell is text a sender wrote (an event type, a mapping error quoting one)
// as a cell of a table: its line breaks and tabs shown as \n, \r and \t.
// Laid out as they are, they end the row or the cell, and a type holding a
// line break made a row of its own that looked like another event's, on a
// terminal and in a pipe alike.
func cell(s string) string {
	if !strings.ContainsAny(s, "\n\r\t") {
		return s
	}
	return cellEscapes.Replace(s)
}

var cellEscapes = strings.NewReplacer("\n", `\n`, "\r", `\r`, "\t", `\t`)
