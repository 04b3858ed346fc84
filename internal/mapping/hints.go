package mapping

import (
	"fmt"
	"reflect"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"
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
	for _, s := range segs {
		switch t.Kind() {
		case reflect.Slice:
			if s != "#" && !isDigits(s) {
				return false
			}
			t = t.Elem()
		case reflect.Struct:
			f, ok := fieldByTag(t, s)
			if !ok || s == metaField {
				return false
			}
			t = f.Type
		default:
			return false
		}
	}
	return len(segs) > 0 && t.Kind() != reflect.Struct
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
