package mapping

import (
	"fmt"
	"math/big"
	"strconv"
	"strings"

	"github.com/expr-lang/expr/ast"
	"github.com/tidwall/gjson"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// numberValue is the JSON number raw as an expression reads it where the
// payload has no documented type: a float64, as before, when that is the
// number the sender wrote; else an int64 when it is a whole number that
// fits (9007199254740993), else its text (syncd.NumberText), which an
// expression passes on as sent and cannot compute with. ok is false as
// for syncd.NumberText.
func numberValue(raw string) (any, bool) {
	text, ok := syncd.NumberText(raw)
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

// notADouble is why a number beyond syncd.NumberText is refused.
const notADouble = "beyond any number a CRM holds: not sent, rather than sent as another number"

// untypedValue is the JSON value r as an expression reads it where the
// payload has no documented type (as gjson's Value gives it, but numbers
// by numberValue); numbers no CRM holds are nil and noted in bad.
func untypedValue(r gjson.Result, path jsonPath, bad badNumbers) any {
	switch {
	case r.Type == gjson.Number && r.Raw != "":
		v, ok := numberValue(r.Raw)
		if !ok {
			bad.add(path.String(), r.Raw, notADouble)
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
			out[k.Str] = untypedValue(v, path.child(k.Str), bad)
			return true
		})
		return out
	}
	return r.Value()
}

// jsonPath is where a value sits in the payload ("location.id"), kept
// as its names and joined only when a bad number is noted: joined for
// every field, it cost the mapper an allocation a field, for the rare
// lead that has one. A value, copied down the walk: nothing escapes.
type jsonPath struct {
	names [6]string
	n     int
}

// String is the dotted path.
func (p jsonPath) String() string {
	return strings.Join(p.names[:p.n], ".")
}

// child is the path of the field name within p (past six names deep,
// the last holds the rest joined).
func (p jsonPath) child(name string) jsonPath {
	if p.n == len(p.names) {
		p.names[p.n-1] += "." + name
		return p
	}
	p.names[p.n] = name
	p.n++
	return p
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

// jsonInt is a whole number given to format() (a payload's documented
// whole number, eaf_timestamp, or one written in the expression): %v and
// %s write its digits (fmt wrote %s as "%!s(int64=1630906086)"), a
// float's verbs (%.2f) write it as that number with a fraction, others as
// for an int64.
type jsonInt int64

// Format implements fmt.Formatter.
func (n jsonInt) Format(s fmt.State, verb rune) {
	switch verb {
	case 'v', 's':
		fmt.Fprintf(s, fmt.FormatString(s, 'd'), int64(n))
	case 'e', 'E', 'f', 'F', 'g', 'G':
		fmt.Fprintf(s, fmt.FormatString(s, verb), float64(n))
	default:
		fmt.Fprintf(s, fmt.FormatString(s, verb), int64(n))
	}
}

// jsonFloats is args with each float64 a jsonFloat, and each whole
// number a jsonInt.
func jsonFloats(args []any) []any {
	out := make([]any, len(args))
	for i, a := range args {
		switch v := a.(type) {
		case float64:
			a = jsonFloat(v)
		case int64:
			a = jsonInt(v)
		case int:
			a = jsonInt(v)
		}
		out[i] = a
	}
	return out
}
