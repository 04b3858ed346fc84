package mail

import (
	"strings"
	"unicode/utf8"
)

// flowWidth is the most characters of a line of a message's text part
// before the space it breaks after: RFC 3676 wants a flowed line 72 or
// less, RFC 5322 any line 78 or less where it can be.
const flowWidth = 72

// flowed is text as a format=flowed text part (RFC 3676, DelSp=No): each
// line of prose longer than flowWidth broken after a space, the space
// kept at the end of the line, which marks it soft. A program that reads
// format=flowed joins the lines again and wraps them to its window; one
// that does not shows lines of 72 characters or less, where before a
// line of 190 ran off the window or broke mid-word. A word longer than a
// line (a URL, an address) is never broken: it has a line of its own. A
// line that looks set out by hand (two spaces in a row, a tab: a table)
// is left whole. Trailing spaces of the lines given are dropped (they
// would mark a line soft), and a line starting with a space, ">" or
// "From " is space-stuffed, as RFC 3676 asks.
func flowed(text string) string {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	var b strings.Builder
	b.Grow(len(text) + len(text)/flowWidth + 8)
	for i, line := range strings.Split(text, "\n") {
		if i > 0 {
			b.WriteString("\n")
		}
		line = strings.TrimRight(line, " ")
		if utf8.RuneCountInString(line) <= flowWidth || strings.Contains(line, "  ") || strings.Contains(line, "\t") {
			b.WriteString(stuffed(line))
			continue
		}
		for j, part := range softLines(line) {
			if j > 0 {
				b.WriteString("\n")
			}
			b.WriteString(stuffed(part))
		}
	}
	return b.String()
}

// softLines breaks line after its spaces into lines of at most flowWidth
// characters and the space each but the last ends in; a word longer than
// that fills a line alone.
func softLines(line string) []string {
	var out []string
	for utf8.RuneCountInString(line) > flowWidth {
		cut := breakAt(line)
		if cut < 0 {
			break // one word to the end: nowhere to break
		}
		out = append(out, line[:cut])
		line = line[cut:]
	}
	return append(out, line)
}

// breakAt is the byte offset after the last space among line's first
// flowWidth+1 characters, or, when there is none, after the first space
// (a word longer than a line); -1 when line has no space to break at
// before its end.
func breakAt(line string) int {
	last, n := -1, 0 // n: the characters before r
	for i, r := range line {
		if n > flowWidth {
			break
		}
		if r == ' ' && i > 0 { // the space may be the 73rd: it ends the line
			last = i + 1
		}
		n++
	}
	if last > 0 {
		return last
	}
	if sp := strings.IndexByte(line[1:], ' '); sp >= 0 && sp+2 < len(line) {
		return sp + 2
	}
	return -1
}

// stuffed is line with a space before it when a reader of format=flowed
// would take its start for quoting (">"), stuffing (" ") or, as some mail
// programs do, the start of a new message ("From ").
func stuffed(line string) string {
	if strings.HasPrefix(line, " ") || strings.HasPrefix(line, ">") || strings.HasPrefix(line, "From ") {
		return " " + line
	}
	return line
}
