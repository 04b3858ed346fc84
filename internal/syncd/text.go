package syncd

import (
	"strings"
	"unicode"
)

// OneLine is a sender's text as syncd shows it within a line of a mail, a
// terminal or a letter: each control character, noncharacter (U+FFFE,
// U+FFFF, which XML cannot hold, and the others Unicode reserves), line or
// paragraph separator as a space (a line break would start a line of the sender's
// own, an escape sequence drive a terminal), and without the invisible
// characters that reorder or hide the text around them (Hidden). The
// letters of any script are kept: a lead's Arabic name shows as written.
func OneLine(s string) string {
	return shown(s, func(rune) bool { return false })
}

// Lines is OneLine for text that may run over lines, such as a workbook's
// cell: its line breaks (CR LF, CR, LF, NEL, U+2028, U+2029) kept as line
// feeds, other control characters as a space.
func Lines(s string) string {
	return shown(strings.ReplaceAll(s, "\r\n", "\n"), func(r rune) bool {
		return r == '\n' || r == '\r' || r == '\u0085' || unicode.In(r, unicode.Zl, unicode.Zp)
	})
}

// shown is s with each line break (as breaks tells) a line feed, each
// other control character or line separator a space and the Hidden
// characters left out; s itself when it holds none.
func shown(s string, breaks func(rune) bool) string {
	keepLF := breaks('\n')
	if strings.IndexFunc(s, func(r rune) bool { return r < 0x20 && !(keepLF && r == '\n') || odd(r) }) < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		switch {
		case breaks(r):
			return '\n'
		case Hidden(r):
			return -1
		case unicode.IsControl(r) || unicode.In(r, unicode.Zl, unicode.Zp) || noncharacter(r):
			return ' '
		}
		return r
	}, s)
}

// noncharacter reports whether r is one of the 66 code points Unicode
// reserves never to be a character (U+FDD0-FDEF and the last two of each
// plane): U+FFFE is a byte-order mark read the wrong way round; XML cannot
// hold it nor U+FFFF (excelize writes them as U+FFFD, "?" in a box).
func noncharacter(r rune) bool {
	return r >= '\ufdd0' && r <= '\ufdef' || r&0xfffe == 0xfffe && r <= unicode.MaxRune
}

// odd reports whether r is one that shown changes: a control character, a
// noncharacter, a line or paragraph separator, or a Hidden one.
func odd(r rune) bool {
	return r >= 0x7f && (unicode.IsControl(r) || unicode.In(r, unicode.Zl, unicode.Zp) || Hidden(r) || noncharacter(r))
}

// Unseen reports whether r is a character no one sees in an email address
// or a phone number: a Hidden one, or the soft hyphen (U+00AD), which text
// keeps but no address holds. A sender's field pasted with one (from a
// web page, a PDF, a word processor) names the same person as without it.
func Unseen(r rune) bool {
	if r < '\u0600' { // the Latin, Greek and Cyrillic letters: no format character but the soft hyphen
		return r == '\u00ad'
	}
	return Hidden(r)
}

// WithoutUnseen is s without its Unseen characters; s itself when it holds
// none.
func WithoutUnseen(s string) string {
	if strings.IndexFunc(s, Unseen) < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if Unseen(r) {
			return -1
		}
		return r
	}, s)
}

// AddressText is s, an email address as a sender or an operator wrote it,
// without its Unseen characters and the directional marks (U+200E,
// U+200F, U+061C), which text keeps but no address holds: an address
// copied from a right-to-left page with a mark before it was the key of
// a contact of its own.
func AddressText(s string) string {
	mark := func(r rune) bool { return r == '\u200e' || r == '\u200f' || r == '\u061c' || Unseen(r) }
	if strings.IndexFunc(s, mark) < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if mark(r) {
			return -1
		}
		return r
	}, s)
}

// Hidden reports whether r is an invisible format character that a screen
// showing a sender's text leaves out: the bidirectional embeddings,
// overrides and isolates (U+202A-202E, U+2066-2069), which reorder the
// text after them to the end of the line ("\u202emoc.elgoog" shows as
// google.com, and the rest of a table row or mail line backwards), and the
// zero-width and other invisible ones (U+200B, U+2060, U+FEFF, tags),
// which make text other than it looks. Kept, as real text needs them: the
// joiners U+200C and U+200D (Persian, Indic scripts, emoji), the marks
// U+200E, U+200F and U+061C (which order no more than a letter of their
// direction does), the soft hyphen and the visible number signs of Arabic
// and other scripts.
func Hidden(r rune) bool {
	if r < '\u00ad' || !unicode.Is(unicode.Cf, r) { // no format character comes before the soft hyphen
		return false
	}
	switch {
	case r == '\u200c', r == '\u200d', r == '\u200e', r == '\u200f', r == '\u061c', r == '\u00ad':
		return false
	case r >= '\u0600' && r <= '\u0605', r == '\u06dd', r == '\u070f', r == '\u0890', r == '\u0891', r == '\u08e2',
		r == '\U000110bd', r == '\U000110cd':
		return false
	}
	return true
}
