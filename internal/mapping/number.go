package mapping

import (
	"cmp"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// dotDecimal are the regions that write a decimal point and group
// thousands with commas ("1,500.00"); elsewhere (DK, most of Europe) the
// comma is the decimal mark and the point groups ("1.500,00").
var dotDecimal = map[string]bool{"GB": true, "IE": true, "US": true, "CA": true, "AU": true, "NZ": true, "IN": true}

// Number reads the first number in raw as people of region write it
// ("1.500,00" in DK, "1,500.00" in GB; thousands also grouped by spaces:
// "1 250 000") into the form CRMs take: digits, a leading minus, a
// decimal point ("1500.00"). Text around it is left out ("ca. 200 m2" is
// 200, "kr. 1.500.000,-" 1500000), but for a word right after it that
// multiplies it: "2,5 mio." is 2500000, "450k" 450000, "£1.2 million"
// 1200000 (multipliers). A single mark that groups in region but is not
// followed by three digits is a decimal mark ("2.5" in DK); so is the
// region's decimal mark right before the digits (",5" in DK is 0.5). It
// returns "" when raw holds no digit nor fraction, and an error when the
// points and commas of the number do not group its digits in threes
// before one decimal mark ("01.03.2026", "1.23,5", "1,234,5"), which no reading
// makes the number the person meant: a date, or two numbers. A fraction
// written as one character is read too ("1½ mio." is 1500000), and a
// slash before digits is an error likewise ("1/3-2027"): fractionAfter.
func Number(raw, region string) (string, error) {
	start := strings.IndexFunc(raw, startsNumber)
	if start < 0 {
		return "", nil
	}
	dot := dotDecimal[strings.ToUpper(region)]
	tok, n := numberToken(raw[start:])
	before := raw[:start]
	intPart, frac, ok := splitDecimal(tok, dot)
	if !ok {
		return "", fmt.Errorf("number: %q is not one number (its points and commas do not group digits in threes: a date? two numbers?), "+
			"and syncd sends no number it may have read wrong", tok)
	}
	if tok != "" && leadingDecimal(before, dot) && !strings.ContainsAny(tok, ".,") {
		before, intPart, frac = before[:len(before)-1], "0", tok
	}
	fr, n, err := fractionAfter(raw[start:], n, frac != "")
	if err != nil {
		return "", err
	}
	if fr != "" {
		intPart, frac = cmp.Or(intPart, "0"), fr
	}
	sign := ""
	// U+2212 is the minus sign locales such as Swedish and Norwegian
	// format negatives with. A hyphen right after a letter joins a word
	// to the number ("EJ-593915", "Lokale B-12"): no minus.
	if strings.HasSuffix(before, "\u2212") || strings.HasSuffix(before, "-") && !afterLetter(strings.TrimSuffix(before, "-")) {
		sign = "-"
	}
	if exp := multiplier(raw[start+n:]); exp > 0 {
		intPart, frac = syncd.ShiftPoint(intPart, frac, exp)
	}
	if frac != "" {
		return sign + intPart + "." + frac, nil
	}
	return sign + intPart, nil
}

// multipliers are the words, in the languages of the senders' regions,
// that multiply the number before them by 10^n.
var multipliers = map[string]int{"k": 3, "thousand": 3, "tusind": 3,
	"mio": 6, "mill": 6, "million": 6, "millions": 6, "millioner": 6, "mn": 6,
	"mia": 9, "milliard": 9, "milliarder": 9, "bn": 9, "billion": 9, "billions": 9}

// multiplier is n of the multiplier word rest starts with (after spaces),
// or 0: a word that is not one of multipliers, or that a digit or ²
// follows ("m2"), multiplies nothing.
func multiplier(rest string) int {
	rest = strings.TrimLeft(rest, " \u00a0")
	end := strings.IndexFunc(rest, func(r rune) bool { return !unicode.IsLetter(r) })
	if end < 0 {
		end = len(rest)
	} else if r, _ := utf8.DecodeRuneInString(rest[end:]); unicode.IsDigit(r) || r == '²' {
		return 0
	}
	return multipliers[strings.ToLower(rest[:end])]
}

// leadingDecimal reports whether before ends in the region's decimal mark
// standing alone (",5" in DK), not closing a word ("kr.500").
func leadingDecimal(before string, dot bool) bool {
	mark := map[bool]string{true: ".", false: ","}[dot]
	rest, ok := strings.CutSuffix(before, mark)
	if !ok {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(rest)
	return rest == "" || !unicode.IsLetter(r) && !isDigit(r) && r != '.' && r != ','
}

func isDigit(r rune) bool { return '0' <= r && r <= '9' }

// afterLetter tells whether s ends in a letter.
func afterLetter(s string) bool {
	r, n := utf8.DecodeLastRuneInString(s)
	return n > 0 && unicode.IsLetter(r)
}

// numberToken is the number at the start of s: digits, and the marks
// between them ('.' and ',' before a digit; a space, a no-break, narrow
// no-break or thin space, or an apostrophe before a group of exactly three
// digits), without spaces; n
// is how many bytes of s it took.
func numberToken(s string) (tok string, n int) {
	var b strings.Builder
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case isDigit(r):
			b.WriteRune(r)
		case (r == '.' || r == ',') && i+1 < len(rs) && isDigit(rs[i+1]):
			b.WriteRune(r)
		case (r == ' ' || r == '\u00a0' || r == '\u202f' || r == '\u2009' || r == '\'') && group3(rs[i+1:]):
		default:
			return b.String(), len(string(rs[:i]))
		}
	}
	return b.String(), len(s)
}

// group3 reports whether rs starts with exactly three digits.
func group3(rs []rune) bool {
	if len(rs) < 3 || !isDigit(rs[0]) || !isDigit(rs[1]) || !isDigit(rs[2]) {
		return false
	}
	return len(rs) == 3 || !isDigit(rs[3])
}

// splitDecimal splits a token of digits and marks into its integer digits
// and its decimals. Of two kinds of mark the last is the decimal mark; a
// mark given more than once groups; a single mark is the decimal mark of
// the region, or groups when three digits follow it. ok is false when the
// marks before the decimal one do not group in threes.
func splitDecimal(tok string, dot bool) (intPart, frac string, ok bool) {
	dec, group := ",", "."
	if dot {
		dec, group = ".", ","
	}
	hasDot, hasComma := strings.Contains(tok, "."), strings.Contains(tok, ",")
	switch {
	case hasDot && hasComma:
		dec = tok[strings.LastIndexAny(tok, ".,"):][:1]
		group = map[string]string{".": ",", ",": "."}[dec]
	case hasDot || hasComma:
		mark := map[bool]string{true: ".", false: ","}[hasDot]
		i := strings.Index(tok, mark)
		if strings.Count(tok, mark) > 1 || (mark == group && len(tok)-i-1 == 3) {
			dec, group = "", mark // it groups
		} else {
			dec = mark
		}
	default:
		return tok, "", true
	}
	whole := tok
	if dec != "" {
		i := strings.LastIndex(tok, dec)
		whole, frac = tok[:i], tok[i+1:]
	}
	groups := strings.Split(whole, group)
	for i, g := range groups {
		if strings.ContainsAny(g, ".,") || len(g) > 3 && len(groups) > 1 || len(g) == 0 || i > 0 && len(g) != 3 {
			return "", "", false
		}
	}
	return strings.Join(groups, ""), frac, true
}
