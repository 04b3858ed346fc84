package syncd

import (
	"math"
	"strconv"
	"strings"
)

// NumberText is the JSON number raw as syncd passes it on (to a CRM
// property, into the daily report): its digits as the sender wrote them
// ("9007199254740993", "-0", "0.1"), less the zeros ending a fraction
// ("1.50" is "1.5": a mapping's number() read "1.500" as Danes write
// 1500), or, written with an exponent, the same number in plain digits,
// exactly ("1.2345e3" is "1234.5"): gjson writes numbers with a fraction
// or an exponent through a float64, and 1.2345678901234567890123e22 lost
// its last six digits. ok is false for a number no CRM number holds (a
// double): 1e999999999, which gjson writes as "+Inf", and 1e-400, which
// it writes as "0".
func NumberText(raw string) (text string, ok bool) {
	mant, exp, hasExp := strings.Cut(strings.ToLower(raw), "e")
	if !hasExp && strings.Contains(raw, ".") {
		return strings.TrimSuffix(strings.TrimRight(raw, "0"), "."), true
	}
	if !hasExp {
		return raw, true
	}
	sign := ""
	if rest, neg := strings.CutPrefix(mant, "-"); neg {
		sign, mant = "-", rest
	}
	intPart, frac, _ := strings.Cut(mant, ".")
	if strings.Trim(intPart+frac, "0") == "" {
		return sign + "0", true // zero with any exponent
	}
	f, err := strconv.ParseFloat(raw, 64)
	if err != nil || f == 0 || math.IsInf(f, 0) {
		return "", false // beyond a double: the exponent is at most a few hundred now
	}
	n, err := strconv.Atoi(strings.TrimPrefix(exp, "+"))
	if err != nil {
		return "", false
	}
	if n < 0 { // zeros before the digits, for the point to move left past them
		intPart = strings.Repeat("0", -n) + intPart
	}
	intPart, frac = ShiftPoint(intPart, frac, n)
	if frac == "" {
		return sign + intPart, true
	}
	return sign + intPart + "." + frac, true
}

// ShiftPoint multiplies the decimal intPart.frac (digits only) by 10^n,
// exactly, n at least -len(intPart): the integer part without leading
// zeros ("0" for none) and the fraction without trailing ones.
func ShiftPoint(intPart, frac string, n int) (string, string) {
	digits, point := intPart+frac, len(intPart)+n
	if len(digits) < point {
		digits += strings.Repeat("0", point-len(digits))
	}
	i := strings.TrimLeft(digits[:point], "0")
	if i == "" {
		i = "0"
	}
	return i, strings.TrimRight(digits[point:], "0")
}
