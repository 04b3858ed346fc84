package syncd

import (
	"bytes"
	"slices"
	"unicode/utf8"
)

// matchPhones reports whether b holds a number whose digits are one of
// m.phones. A number is a run of digits that neither follows nor is
// followed by a letter, digit or "_" (87654321_EAF is a reference), its
// digit groups joined by at most two of " -./()+" ("+45 20-12-34-56",
// "+44 (0)20 3870 4550"). A run that starts as a date (2026-11-30,
// 30.11.2026, and "2026-11-30 10" of a time) or is an amount (20.000.000)
// is not a number: a phone with a date's or a price's digits would
// otherwise name everyone who wrote that date or price.
//
// A no-break space between groups (as a web form or a word processor
// joins "+45 22 33 44 55") is a space, and a character no one sees
// (Unseen) is left out, raw, JSON-escaped or URL-encoded: the mapping
// reads such a number as the person's.
func (m *Matcher) matchPhones(b []byte, odd bool) bool {
	if len(m.phones) == 0 {
		return false
	}
	if odd {
		m.spaced = phoneSpaces(m.spaced[:0], b)
		b = m.spaced
	}
	for i := 0; i < len(b); i++ {
		if !isDigit(b[i]) || i > 0 && isWordChar(b[i-1]) {
			continue
		}
		m.digits, m.groups, i = digitRun(m.digits[:0], m.groups[:0], b, i)
		if i < len(b) && isWordChar(b[i]) || dateShaped(m.groups) || amountShaped(m.groups) {
			continue
		}
		if m.phoneSet != nil && m.phoneSet[string(m.digits)] ||
			m.phoneSet == nil && slices.ContainsFunc(m.phones, func(p []byte) bool { return bytes.Equal(p, m.digits) }) {
			return true
		}
	}
	return false
}

// digitGroup is one group of a number's digits and the punctuation after
// it when that is one character (0 when two, or at the end).
type digitGroup struct {
	n   int
	sep byte
}

// digitRun appends to dst the digits of the number starting at b[i] and
// to groups its digit groups; it returns them and the index just past
// the number's last digit.
func digitRun(dst []byte, groups []digitGroup, b []byte, i int) ([]byte, []digitGroup, int) {
	for {
		g := digitGroup{}
		for ; i < len(b) && isDigit(b[i]); i++ {
			dst, g.n = append(dst, b[i]), g.n+1
		}
		j := i
		for j < len(b) && j-i < 3 && isPhonePunct(b[j]) {
			j++
		}
		if j == i || j-i > 2 || j == len(b) || !isDigit(b[j]) {
			return dst, append(groups, g), i
		}
		if j-i == 1 {
			g.sep = b[i]
		}
		groups, i = append(groups, g), j
	}
}

// dateShaped reports whether a number's first three groups are a date:
// joined by the same "-", "." or "/", the first or the third of four
// digits, the others of one or two.
func dateShaped(gs []digitGroup) bool {
	if len(gs) < 3 || gs[0].sep != gs[1].sep || gs[1].n > 2 {
		return false
	}
	if sep := gs[0].sep; sep != '-' && sep != '.' && sep != '/' {
		return false
	}
	return gs[0].n == 4 && gs[2].n <= 2 || gs[2].n == 4 && gs[0].n <= 2
}

// amountShaped reports whether a number's groups are an amount written
// with "." between thousands: 1 to 3 digits, then two or more groups of 3.
func amountShaped(gs []digitGroup) bool {
	if len(gs) < 3 || gs[0].n > 3 {
		return false
	}
	for k, g := range gs[1:] {
		if gs[k].sep != '.' || g.n != 3 {
			return false
		}
	}
	return true
}

func isPhonePunct(c byte) bool {
	return c == ' ' || c == '-' || c == '.' || c == '/' || c == '(' || c == ')' || c == '+'
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// isWordChar reports whether c is an ASCII letter, digit or "_".
func isWordChar(c byte) bool { return isDigit(c) || c == '_' || 'a' <= c|0x20 && c|0x20 <= 'z' }

// oddChar reads at the start of b a character that is not ASCII, raw,
// JSON-escaped or URL-encoded; n is 0 for none.
func oddChar(b []byte) (r rune, n int) {
	if b[0] < utf8.RuneSelf {
		return escaped(b)
	}
	return utf8.DecodeRune(b)
}

// noBreakSpace reports whether r is a space that keeps a number's groups
// on one line: no-break (U+00A0), figure (U+2007), thin (U+2009) or
// narrow no-break (U+202F).
func noBreakSpace(r rune) bool {
	return r == '\u00a0' || r == '\u2007' || r == '\u2009' || r == '\u202f'
}

// spacedOddly reports whether b holds a no-break space or an Unseen
// character, however written.
func spacedOddly(b []byte) bool {
	for i, c := range b {
		if !mayStartOdd[c] {
			continue
		}
		if r, n := oddChar(b[i:]); n > 0 && (noBreakSpace(r) || Unseen(r)) {
			return true
		}
	}
	return false
}

// phoneSpaces appends b to dst with each no-break space as a space and
// without the Unseen characters.
func phoneSpaces(dst, b []byte) []byte {
	for i := 0; i < len(b); i++ {
		if mayStartOdd[b[i]] {
			if r, n := oddChar(b[i:]); n > 0 && (noBreakSpace(r) || Unseen(r)) {
				if noBreakSpace(r) {
					dst = append(dst, ' ')
				}
				i += n - 1
				continue
			}
		}
		dst = append(dst, b[i])
	}
	return dst
}
