package mapping

import "strings"

// dotDecimal are the regions that write a decimal point and group
// thousands with commas ("1,500.00"); elsewhere (DK, most of Europe) the
// comma is the decimal mark and the point groups ("1.500,00").
var dotDecimal = map[string]bool{"GB": true, "IE": true, "US": true, "CA": true, "AU": true, "NZ": true, "IN": true}

// Number reads the first number in raw as people of region write it
// ("1.500,00" in DK, "1,500.00" in GB; thousands also grouped by spaces:
// "1 250 000") into the form CRMs take: digits, a leading minus, a
// decimal point ("1500.00"). Text around it is left out ("ca. 200 m2" is
// 200, "kr. 1.500.000,-" 1500000). A single mark that groups in region but
// is not followed by three digits is a decimal mark ("2.5" in DK). It
// returns "" when raw holds no digit.
func Number(raw, region string) string {
	start := strings.IndexFunc(raw, isDigit)
	if start < 0 {
		return ""
	}
	tok := numberToken(raw[start:])
	sign := ""
	if start > 0 && raw[start-1] == '-' {
		sign = "-"
	}
	intPart, frac := splitDecimal(tok, dotDecimal[strings.ToUpper(region)])
	if frac != "" {
		return sign + intPart + "." + frac
	}
	return sign + intPart
}

func isDigit(r rune) bool { return '0' <= r && r <= '9' }

// numberToken is the number at the start of s: digits, and the marks
// between them ('.' and ',' before a digit; a space, no-break space or
// apostrophe before a group of exactly three digits), without spaces.
func numberToken(s string) string {
	var b strings.Builder
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case isDigit(r):
			b.WriteRune(r)
		case (r == '.' || r == ',') && i+1 < len(rs) && isDigit(rs[i+1]):
			b.WriteRune(r)
		case (r == ' ' || r == '\u00a0' || r == '\'') && group3(rs[i+1:]):
		default:
			return b.String()
		}
	}
	return b.String()
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
// the region, or groups when three digits follow it.
func splitDecimal(tok string, dot bool) (intPart, frac string) {
	dec, group := ",", "."
	if dot {
		dec, group = ".", ","
	}
	hasDot, hasComma := strings.Contains(tok, "."), strings.Contains(tok, ",")
	switch {
	case hasDot && hasComma:
		dec = tok[strings.LastIndexAny(tok, ".,"):][:1]
	case hasDot || hasComma:
		mark := map[bool]string{true: ".", false: ","}[hasDot]
		i := strings.Index(tok, mark)
		if strings.Count(tok, mark) > 1 || (mark == group && len(tok)-i-1 == 3) {
			dec = "" // it groups
		} else {
			dec = mark
		}
	default:
		return tok, ""
	}
	if dec == "" {
		return strings.NewReplacer(".", "", ",", "").Replace(tok), ""
	}
	i := strings.LastIndex(tok, dec)
	return strings.NewReplacer(".", "", ",", "").Replace(tok[:i]), tok[i+1:]
}
