package syncd

import (
	"bytes"
	"slices"
)

// matchPhones reports whether b holds a number whose digits are one of
// m.phones. A number is a run of digits that neither follows nor is
// followed by a letter, digit or "_" (87654321_EAF is a reference), its digit groups joined by at most two
// of " -./()+" ("+45 20-12-34-56", "+44 (0)20 3870 4550"). A date-shaped
// run (2026-11-30, 30.11.2026) is not a number: a phone whose digits a
// date has would otherwise name everyone who wrote that date.
func (m *Matcher) matchPhones(b []byte) bool {
	if len(m.phones) == 0 {
		return false
	}
	for i := 0; i < len(b); i++ {
		if !isDigit(b[i]) || i > 0 && isWordChar(b[i-1]) {
			continue
		}
		m.digits, m.groups, i = digitRun(m.digits[:0], m.groups[:0], b, i)
		if i < len(b) && isWordChar(b[i]) || dateShaped(m.groups) {
			continue
		}
		if slices.ContainsFunc(m.phones, func(p []byte) bool { return bytes.Equal(p, m.digits) }) {
			return true
		}
	}
	return false
}

// digitRun appends to dst the digits of the number starting at b[i] and
// to groups the length of each digit group; it returns them and the index
// just past the number's last digit.
func digitRun(dst []byte, groups []int, b []byte, i int) ([]byte, []int, int) {
	for {
		n := 0
		for ; i < len(b) && isDigit(b[i]); i++ {
			dst, n = append(dst, b[i]), n+1
		}
		groups = append(groups, n)
		j := i
		for j < len(b) && j-i < 3 && isPhonePunct(b[j]) {
			j++
		}
		if j == i || j-i > 2 || j == len(b) || !isDigit(b[j]) {
			return dst, groups, i
		}
		i = j
	}
}

// dateShaped reports whether digit groups look like a date: three groups,
// the first or the last of four digits, the others of one or two.
func dateShaped(groups []int) bool {
	if len(groups) != 3 || groups[1] > 2 {
		return false
	}
	return groups[0] == 4 && groups[2] <= 2 || groups[2] == 4 && groups[0] <= 2
}

func isPhonePunct(c byte) bool {
	return c == ' ' || c == '-' || c == '.' || c == '/' || c == '(' || c == ')' || c == '+'
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// isWordChar reports whether c is an ASCII letter, digit or "_".
func isWordChar(c byte) bool { return isDigit(c) || c == '_' || 'a' <= c|0x20 && c|0x20 <= 'z' }
