package mapping

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// fractions are the fractions written as one character that a decimal
// writes exactly ("1½" is 1.5), by their decimals; those it does not (a
// third, a sixth, ...) are "".
var fractions = map[rune]string{
	'¼': "25", '½': "5", '¾': "75", '⅐': "", '⅑': "", '⅒': "1", '⅓': "", '⅔': "",
	'⅕': "2", '⅖': "4", '⅗': "6", '⅘': "8", '⅙': "", '⅚': "", '⅛': "125", '⅜': "375", '⅝': "625", '⅞': "875",
}

// startsNumber reports whether r may start a number: a digit, or a
// fraction written as one character ("½ mio.").
func startsNumber(r rune) bool {
	_, ok := fractions[r]
	return isDigit(r) || ok
}

// fractionAfter reads what follows a number's digits and marks (s, from
// the number's first digit, n bytes of which it took; dec whether they
// hold a decimal mark). A fraction written as one character, right after
// them or after one space ("1½", "2 ½", "½"), gives the decimals it adds,
// and how many bytes of s the number then takes. A slash before a digit
// ("1/3-2027", the first of March as Danes write it, "24/7", "1 1/2"), a
// fraction no decimal writes exactly ("1⅓") and one after decimals
// ("1,5½") are an error quoting the text: no reading makes it the number
// the person meant.
func fractionAfter(s string, n int, dec bool) (frac string, end int, err error) {
	rest := s[n:]
	if spaced := strings.TrimPrefix(rest, " "); n > 0 && spaced != rest {
		if r, _ := utf8.DecodeRuneInString(spaced); isDigit(r) { // "1 1/2"
			if d := strings.IndexFunc(spaced, func(r rune) bool { return !isDigit(r) }); d > 0 && slashDigit(spaced[d:]) {
				return "", 0, notOneNumber(s[:n+1+d+slashLen(spaced[d:])], "a date, as 1/3 for the first of March? a fraction?")
			}
		} else if _, ok := fractions[r]; ok { // "2 ½"
			rest, n = spaced, n+1
		}
	}
	if slashDigit(rest) {
		return "", 0, notOneNumber(s[:n+slashLen(rest)], "a date, as 1/3 for the first of March? a fraction?")
	}
	r, size := utf8.DecodeRuneInString(rest)
	frac, ok := fractions[r]
	switch {
	case !ok:
		return "", n, nil
	case dec:
		return "", 0, notOneNumber(s[:n+size], "a fraction after decimals")
	case frac == "":
		return "", 0, notOneNumber(s[:n+size], "a fraction no decimal writes exactly")
	}
	return frac, n + size, nil
}

// slashDigit reports whether s starts with a slash (or the fraction
// slash, U+2044) and a digit.
func slashDigit(s string) bool {
	r, size := utf8.DecodeRuneInString(s)
	if r != '/' && r != '\u2044' {
		return false
	}
	d, _ := utf8.DecodeRuneInString(s[size:])
	return isDigit(d)
}

// slashLen is how many bytes of s, which slashDigit takes, are the slash
// and the digits after it.
func slashLen(s string) int {
	_, size := utf8.DecodeRuneInString(s)
	d := strings.IndexFunc(s[size:], func(r rune) bool { return !isDigit(r) })
	if d < 0 {
		return len(s)
	}
	return size + d
}

// notOneNumber is number()'s error for text no reading makes the number
// the person meant.
func notOneNumber(text, why string) error {
	return fmt.Errorf("number: %q is not one number (%s), and syncd sends no number it may have read wrong", text, why)
}
