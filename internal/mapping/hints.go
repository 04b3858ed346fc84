package mapping

import (
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"

	"github.com/expr-lang/expr/ast"
	exprparser "github.com/expr-lang/expr/parser"
	"go.yaml.in/yaml/v3"

	"github.com/syncd-dev/syncd/internal/suggest"
)

// payloadField is the field Lokalebasen's events hold their data in;
// Estate Agent Feeds' fields are at the top of the body.
const payloadField = "payload"

// pathHint says how a path whose first field the payload type t has not
// was probably meant, or is "": written for the other sender's layout
// (a rule copied from one file to the other), or naming syncd's own
// fields, which only expressions read.
func pathHint(segs []string, t reflect.Type) string {
	switch {
	case segs[0] == metaField:
		return fmt.Sprintf(" (syncd's own fields are read by expressions: {expr: '%s'})", strings.Join(segs, "."))
	case segs[0] == payloadField && resolves(segs[1:], t):
		return " (this sender's fields are at the top: did you mean " + quote(strings.Join(segs[1:], ".")) + "?)"
	case resolves(append([]string{payloadField}, segs...), t):
		return " (did you mean " + quote(payloadField+"."+strings.Join(segs, ".")) + "?)"
	}
	return ""
}

// nameHint is pathHint for a name an expression uses that the payload
// type t has not.
func nameHint(name string, t reflect.Type) string {
	if name == payloadField {
		return ` (this sender's fields are at the top: write them without "payload.")`
	}
	if f, ok := fieldByTag(t, payloadField); ok && f.Type.Kind() == reflect.Struct {
		if _, ok := fieldByTag(f.Type, name); ok {
			return " (did you mean " + quote(payloadField+"."+name) + "?)"
		}
	}
	return ""
}

// resolves tells whether segs is a path to a value in payloads of type t.
func resolves(segs []string, t reflect.Type) bool {
	end, ok := walkPath(segs, t)
	return ok && len(segs) > 0 && end.Kind() != reflect.Struct
}

// walkPath follows segs into payloads of type t: the type it leads to,
// and whether every segment is one of t's (an index or # into a list, a
// field's JSON name, never syncd's own metaField).
func walkPath(segs []string, t reflect.Type) (reflect.Type, bool) {
	for _, s := range segs {
		switch t.Kind() {
		case reflect.Slice:
			if s != "#" && !isDigits(s) {
				return t, false
			}
			t = t.Elem()
		case reflect.Struct:
			f, ok := fieldByTag(t, s)
			if !ok || s == metaField {
				return t, false
			}
			t = f.Type
		default:
			return t, false
		}
	}
	return t, true
}

// plainWord is text YAML may hold unquoted, when it reads it as text.
var plainWord = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_-]*$`)

// yamlText writes s as a YAML flow value that is the text s: bare when
// YAML reads it so, else in single quotes.
func yamlText(s string) string {
	var n yaml.Node
	if plainWord.MatchString(s) && yaml.Unmarshal([]byte(s), &n) == nil && len(n.Content) == 1 && n.Content[0].Tag == "!!str" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// unquotedText says, of a name the payload type t has not that an
// expression compares with == or != (payload.enquiry.type == client),
// that a text is written in quotes, giving the expression with every
// such name so written, as YAML keeps it: the operator left the quotes
// out. "" when name is compared with nothing. asBool: the expression is
// a when:.
func unquotedText(src, name string, t reflect.Type, asBool bool) string {
	tree, err := exprparser.Parse(src)
	if err != nil {
		return ""
	}
	v := &comparedNames{t: t}
	ast.Walk(&tree.Node, v)
	if !slices.ContainsFunc(v.names, func(n *ast.IdentifierNode) bool { return n.Value == name }) {
		return ""
	}
	text := []rune(src)
	for i := len(v.names) - 1; i >= 0; i-- { // from the end, so that the offsets before hold
		loc := v.names[i].Location()
		if loc.From < 0 || loc.To > len(text) || loc.From >= loc.To {
			return ""
		}
		text = slices.Concat(text[:loc.From], []rune(`"`+v.names[i].Value+`"`), text[loc.To:])
	}
	quoted := "'" + strings.ReplaceAll(string(text), "'", "''") + "'"
	if asBool {
		return fmt.Sprintf(" (a text is written in quotes: %q, and the whole condition in single quotes, when: %s)", name, quoted)
	}
	return fmt.Sprintf(" (a text is written in quotes: %q, and the whole expression in single quotes, {expr: %s})", name, quoted)
}

// comparedNames collects, in the order they are written, the names an
// expression compares with == or != that are no field of t (nor syncd's).
type comparedNames struct {
	t     reflect.Type
	names []*ast.IdentifierNode
}

// Visit implements ast.Visitor.
func (v *comparedNames) Visit(node *ast.Node) {
	b, ok := (*node).(*ast.BinaryNode)
	if !ok || (b.Operator != "==" && b.Operator != "!=") {
		return
	}
	for _, side := range []ast.Node{b.Left, b.Right} {
		id, ok := side.(*ast.IdentifierNode)
		if !ok || id.Value == metaField {
			continue
		}
		if _, field := fieldByTag(v.t, id.Value); field {
			continue
		}
		v.names = append(v.names, id)
	}
	slices.SortFunc(v.names, func(a, b *ast.IdentifierNode) int { return a.Location().From - b.Location().From })
}

// emptyBlock says that a contact: or deal: has no properties (left empty,
// or all of them commented out) and how one is written, with the
// sender's email field as the example of a contact's (envType: the rule's
// payload type, nil when undocumented).
func emptyBlock(block string, envType reflect.Type) string {
	example := ""
	if path := emailPath(envType, nil); block == "contact" && path != "" {
		example = " (email: " + path + ")"
	}
	return fmt.Sprintf("%s: is empty: under it, write each CRM property and its value, one a line, indented further than %s:%s, "+
		"or delete the %s: line", block, block, example, block)
}

// emailPath is the path of the first field of t (in name order, depth
// first) named email or ending in _email, or "".
func emailPath(t reflect.Type, at []string) string {
	if t == nil || t.Kind() != reflect.Struct || len(at) > 4 {
		return ""
	}
	var names []string
	for n := range fieldMaps[t] {
		if n != metaField {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	for _, n := range names {
		f := fieldMaps[t][n]
		if f.Type.Kind() == reflect.String && (n == "email" || strings.HasSuffix(n, "_email")) {
			return strings.Join(append(at, n), ".")
		}
	}
	for _, n := range names {
		if p := emailPath(fieldMaps[t][n].Type, append(at, n)); p != "" {
			return p
		}
	}
	return ""
}

// ruleKeys are the keys a rule may have.
var ruleKeys = []string{"name", "description", "source", "event", "when", "contact", "deal"}

// ruleKeysHint names the rule key that key probably misspells, or lists
// them all.
func ruleKeysHint(key string) string { return keysHint(key, ruleKeys, strings.Join(ruleKeys, ", ")) }

// valueKeys are the keys of a property's value written as a mapping.
var valueKeys = []string{"path", "const", "expr", "write"}

// keysHint says, of key, which is none of keys, that it lacks the blank
// after its colon (type:string inside {...}, one word to YAML), or which
// of keys it probably misspells, or else want (the keys, as listed).
func keysHint(key string, keys []string, want string) string {
	if before, _, ok := strings.Cut(key, ":"); ok && slices.Contains(keys, strings.TrimSpace(before)) {
		return fmt.Sprintf("a colon needs a blank after it, %q, or YAML reads the two as one word", strings.TrimSpace(before)+": ")
	}
	if near := suggest.Nearest(key, keys); near != "" {
		return "did you mean " + near + "?"
	}
	return "want " + want
}

// fileShape says how a mapping file is laid out, for one laid out
// otherwise (a rule pasted into a new file without rules: above it).
const fileShape = `a file holds "rules:" on a line of its own, and under it the rules, each starting with "- " (- name: ...), indented alike`

// ruleKeysIn lists the keys of mapping n that only a rule has (name,
// source, event, ...), in the order written, and the line of the first;
// none when n is no mapping.
func ruleKeysIn(n *yaml.Node) (keys []string, line int) {
	if n.Kind != yaml.MappingNode {
		return nil, 0
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k := n.Content[i]; slices.Contains(ruleKeys, k.Value) && k.Value != "description" {
			if len(keys) == 0 {
				line = k.Line
			}
			keys = append(keys, k.Value)
		}
	}
	return keys, line
}

// hasKey reports whether mapping n has key.
func hasKey(n *yaml.Node, key string) bool {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return true
		}
	}
	return false
}
