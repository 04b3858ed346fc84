package mapping

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"

	"github.com/expr-lang/expr/ast"
	"github.com/tidwall/gjson"
)

// numberText is the JSON number raw as a CRM property gets it: its digits
// as the sender wrote them ("9007199254740993", "-0", "0.1"), less the
// zeros ending a fraction ("1.50" is "1.5", as before: number() read
// "1.500" as Danes write 1500), or, written with an exponent, the same
// number in plain digits, exactly ("1.2345e3" is "1234.5"): gjson wrote
// numbers with a fraction or an exponent through a float64, and
// 1.2345678901234567890123e22 lost its last six digits. ok is false for
// a number no CRM number holds (a double): 1e999999999, which went out
// as "+Inf", and 1e-400, which went out as "0".
func numberText(raw string) (text string, ok bool) {
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
	intPart, frac = shift(intPart, frac, n)
	if frac == "" {
		return sign + intPart, true
	}
	return sign + intPart + "." + frac, true
}

// numberValue is the JSON number raw as an expression reads it where the
// payload has no documented type: a float64, as before, when that is the
// number the sender wrote; else an int64 when it is a whole number that
// fits (9007199254740993), else its text (numberText), which an
// expression passes on as sent and cannot compute with. ok is false as
// for numberText.
func numberValue(raw string) (any, bool) {
	text, ok := numberText(raw)
	if !ok {
		return nil, false
	}
	f, err := strconv.ParseFloat(raw, 64)
	sent, okSent := new(big.Rat).SetString(text)
	shortest, okShort := new(big.Rat).SetString(strconv.FormatFloat(f, 'g', -1, 64))
	if err == nil && okSent && okShort && sent.Cmp(shortest) == 0 {
		return f, true
	}
	if i, err := strconv.ParseInt(text, 10, 64); err == nil {
		return i, true
	}
	return text, true
}

// badNumbers are the payload's numbers, by path ("payload.location.id";
// inside a list, the list's path), that a CRM property cannot get as the
// sender sent them, and why, for the properties that read them.
type badNumbers map[string]string

func (b badNumbers) add(path, raw, why string) {
	if len(raw) > 40 {
		raw = raw[:40] + "…"
	}
	b[path] = fmt.Sprintf("the sender's number %s in %s is %s", raw, path, why)
}

// notADouble is why a number beyond numberText is refused.
const notADouble = "beyond any number a CRM holds: not sent, rather than sent as another number"

// untypedValue is the JSON value r as an expression reads it where the
// payload has no documented type (as gjson's Value gives it, but numbers
// by numberValue); numbers no CRM holds are nil and noted in bad.
func untypedValue(r gjson.Result, path string, bad badNumbers) any {
	switch {
	case r.Type == gjson.Number && r.Raw != "":
		v, ok := numberValue(r.Raw)
		if !ok {
			bad.add(path, r.Raw, notADouble)
		}
		return v
	case r.IsArray():
		var out []any
		for _, e := range r.Array() {
			out = append(out, untypedValue(e, path, bad))
		}
		return out
	case r.IsObject():
		out := map[string]any{}
		r.ForEach(func(k, v gjson.Result) bool {
			out[k.Str] = untypedValue(v, joinPath(path, k.Str), bad)
			return true
		})
		return out
	}
	return r.Value()
}

func joinPath(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// readPaths are the dotted paths an expression reads (every field chain
// in it, and each of its prefixes), to tell whether a property's value
// comes from a number the payload's sender sent that it cannot get.
func readPaths(n ast.Node) []string {
	v := &pathVisitor{}
	ast.Walk(&n, v)
	return v.paths
}

type pathVisitor struct{ paths []string }

// Visit implements ast.Visitor.
func (v *pathVisitor) Visit(n *ast.Node) {
	if p := pathOf(*n); p != "" {
		v.paths = append(v.paths, p)
	}
}

// reads says why prop p, an expression, cannot be sent when it reads a
// number in bad; "" when it reads none.
func (p *prop) reads(bad badNumbers) string {
	for _, path := range p.paths {
		if why, ok := bad[path]; ok {
			return why
		}
	}
	return ""
}

// jsonFloat is a number of the payload given to format(): %v and %s write
// it as Stringify does, in plain digits (fmt wrote 1e21 as "1e+21", and
// %s as "%!s(float64=1e+21)"); other verbs (%.2f) as for a float64.
type jsonFloat float64

// Format implements fmt.Formatter.
func (f jsonFloat) Format(s fmt.State, verb rune) {
	if verb == 'v' || verb == 's' {
		fmt.Fprint(s, Stringify(float64(f)))
		return
	}
	fmt.Fprintf(s, fmt.FormatString(s, verb), float64(f))
}

// jsonFloats is args with each float64 a jsonFloat.
func jsonFloats(args []any) []any {
	out := make([]any, len(args))
	for i, a := range args {
		if f, ok := a.(float64); ok {
			a = jsonFloat(f)
		}
		out[i] = a
	}
	return out
}
