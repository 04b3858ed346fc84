package mapping

import (
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/agnivade/levenshtein"
	"github.com/syncd-dev/syncd/internal/sender"
	"github.com/syncd-dev/syncd/internal/suggest"
	"github.com/syncd-dev/syncd/internal/syncd"
	"github.com/tidwall/gjson"
)

// Meta is what syncd knows about an event besides its payload, available to
// expressions as `syncd`.
type Meta = sender.Meta

// schemaKey names an event type of a sender kind.
type schemaKey struct {
	kind syncd.Kind
	typ  string
}

// payloadTypes maps each documented event type to its payload type, the
// environment expressions are type-checked against, so a misspelt field is
// an error at load time, not an empty CRM property at run time. The types
// are described with their senders (internal/sender). Event types not
// listed here can still have rules; their fields are not checked.
var payloadTypes = func() map[schemaKey]reflect.Type {
	out := map[schemaKey]reflect.Type{}
	for _, s := range sender.All() {
		for typ, t := range s.Payloads {
			out[schemaKey{s.Kind, typ}] = t
		}
	}
	return out
}()

// metaField is the name of the Meta field in every environment.
const metaField = "syncd"

// tagName is the JSON/expr name of a struct field.
func tagName(f reflect.StructField) string {
	return f.Tag.Get("expr")
}

// fieldMaps indexes the fields of every payload struct type by tag, so
// that filling a payload does not parse struct tags. Built once at start,
// read-only after.
var fieldMaps = func() map[reflect.Type]map[string]reflect.StructField {
	out := map[reflect.Type]map[string]reflect.StructField{}
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		for t.Kind() == reflect.Slice {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct || out[t] != nil {
			return
		}
		m := map[string]reflect.StructField{}
		out[t] = m
		for i := range t.NumField() {
			f := t.Field(i)
			m[tagName(f)] = f
			walk(f.Type)
		}
	}
	for _, t := range payloadTypes {
		walk(t)
	}
	return out
}()

// fieldByTag finds the field of struct type t named name.
func fieldByTag(t reflect.Type, name string) (reflect.StructField, bool) {
	if m, ok := fieldMaps[t]; ok {
		f, ok := m[name]
		return f, ok
	}
	for i := range t.NumField() {
		if f := t.Field(i); tagName(f) == name {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

// checkPath reports why path is not a path into payloads of type t (nil t:
// any payload), or "" when it is fine. Paths are dot-separated field names
// with optional array indexes or "#" (all elements / the count), a subset of
// gjson's syntax that can be checked.
func checkPath(path string, t reflect.Type) string {
	if path == "" {
		return "empty path"
	}
	segs := strings.Split(path, ".")
	root := t
	for i, s := range segs {
		if !validSegment(s) {
			return "bad path segment " + quote(s) + pathSyntaxHint(path, root)
		}
		if t == nil {
			continue
		}
		switch t.Kind() {
		case reflect.Slice:
			if s != "#" && !isDigits(s) {
				return quote(strings.Join(segs[:i], ".")) + " is a list: use an index or #"
			}
			t = t.Elem()
		case reflect.Struct:
			f, ok := fieldByTag(t, s)
			if !ok || (i == 0 && s == metaField) {
				prefix := strings.Join(segs[:i], ".")
				hint := elsewhereHint(segs, root)
				if hint == "" {
					hint = meantHint(s, prefix, t)
				}
				if hint == "" && i == 0 {
					hint = pathHint(segs, t)
				}
				if hint == "" && i > 0 {
					hint = fieldsOf(root, t, segs[:i])
				}
				return "unknown field " + quote(strings.Join(segs[:i+1], ".")) + hint
			}
			t = f.Type
		default:
			return quote(strings.Join(segs[:i], ".")) + " has no fields"
		}
	}
	if t != nil && t.Kind() == reflect.Struct {
		return quote(path) + " is an object, not a value"
	}
	return ""
}

// meantHint names the field of struct type t that name probably misspells
// (after prefix, the path to t), or is "".
func meantHint(name, prefix string, t reflect.Type) string {
	var names []string
	for n := range fieldMaps[t] {
		if n != metaField {
			names = append(names, n)
		}
	}
	slices.Sort(names) // the first of the closest, whatever the map's order
	near := suggest.Nearest(name, names)
	if near == "" || !alike(name, near) {
		return ""
	}
	if prefix != "" {
		near = prefix + "." + near
	}
	return " (did you mean " + quote(near) + "?)"
}

// alike tells whether near, a name two changes from name at most, may be
// what was meant: a short name two changes away must have its letters
// (nmae, name), else it is another word ("area" is no misspelt "href").
func alike(name, near string) bool {
	if len(name) > 4 || levenshtein.ComputeDistance(strings.ToLower(name), strings.ToLower(near)) < 2 {
		return true
	}
	a, b := []rune(strings.ToLower(name)), []rune(strings.ToLower(near))
	slices.Sort(a)
	slices.Sort(b)
	return string(a) == string(b)
}

// typeNamed is the payload struct type whose Go name is name, or nil.
func typeNamed(name string) reflect.Type {
	for t := range fieldMaps {
		if t.String() == name {
			return t
		}
	}
	return nil
}

func validSegment(s string) bool {
	if s == "" {
		return false
	}
	if s == "#" {
		return true
	}
	for _, r := range s {
		if !(r == '_' || r == '-' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return true
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

func quote(s string) string { return `"` + s + `"` }

// fill sets v (a settable struct, slice or leaf) from the JSON value r
// at path, leniently: a number where a string is documented becomes its
// text as sent (syncd.NumberText), a string holding a number becomes the
// number, null and absent fields stay zero. Senders drift; one odd field
// must not make a lead unmappable. A number that cannot be read as sent
// (beyond a double, or not a whole number where one is documented) is
// noted in bad: only a property that reads it makes the lead unmappable.
//
// A value of another shape than documented is not written as JSON text:
// an object or a list holding them where text is expected is left out, a
// list of texts where one is expected is joined (textOf), and a list
// where one object is expected is read as its first object (oneOfList);
// each is noted in odd, for the properties that read it.
func fill(v reflect.Value, r gjson.Result, path jsonPath, bad badNumbers, odd *oddShapes) {
	switch v.Kind() {
	case reflect.String:
		if r.IsObject() || r.IsArray() {
			s, _ := textOf(r, path.String(), odd)
			v.SetString(s)
			return
		}
		fillString(v, r, path, bad)
	case reflect.Int64:
		v.SetInt(r.Int())
		if r.Type != gjson.Number {
			return
		}
		if text, ok := syncd.NumberText(r.Raw); !ok || text != strconv.FormatInt(r.Int(), 10) && text != "-0" {
			bad.add(path.String(), r.Raw, "not a whole number syncd can read there")
		}
	case reflect.Float64:
		v.SetFloat(r.Float())
	case reflect.Bool:
		v.SetBool(r.Bool())
	case reflect.Slice:
		if !r.IsArray() {
			return
		}
		arr := r.Array()
		s := reflect.MakeSlice(v.Type(), len(arr), len(arr))
		for i, e := range arr {
			fill(s.Index(i), e, path, bad, odd)
		}
		v.Set(s)
	case reflect.Struct:
		if r.IsArray() {
			r, _ = oneOfList(r, path.String(), odd)
		}
		if !r.IsObject() {
			return
		}
		t := v.Type()
		r.ForEach(func(k, val gjson.Result) bool {
			if f, ok := fieldByTag(t, k.Str); ok && k.Str != metaField {
				fill(v.FieldByIndex(f.Index), val, path.child(k.Str), bad, odd)
			}
			return true
		})
	}
}

// fillString sets the string v from r: a number as the sender wrote it.
func fillString(v reflect.Value, r gjson.Result, path jsonPath, bad badNumbers) {
	switch {
	case r.Type == gjson.Null:
	case r.Type == gjson.Number && r.Raw != "":
		text, ok := syncd.NumberText(r.Raw)
		if !ok {
			text = r.Raw
			bad.add(path.String(), r.Raw, notADouble)
		}
		v.SetString(text)
	default:
		v.SetString(r.String())
	}
}

// elsewhereHint says which other documented event types have the path
// segs that payloads of type t have not, as " (a field of eaf
// portal_submission events, not of eaf email_lead ones)": a field of
// another event type of the sender, or of the other sender (a rule copied
// from one file to the other), which a rule for t's events never reads.
// "" when none has it.
func elsewhereHint(segs []string, t reflect.Type) string {
	var own, others []schemaKey
	for k, pt := range payloadTypes {
		switch {
		case pt == t:
			own = append(own, k)
		case reaches(segs, pt):
			others = append(others, k)
		}
	}
	if len(own) == 0 || len(others) == 0 {
		return ""
	}
	return " (a field of " + eventsNamed(others) + " events, not of " + eventsNamed(own) + " ones)"
}

// eventsNamed names event types as "eaf portal_submission and
// feed_import", kind by kind, in order.
func eventsNamed(keys []schemaKey) string {
	slices.SortFunc(keys, func(a, b schemaKey) int {
		return strings.Compare(string(a.kind)+" "+a.typ, string(b.kind)+" "+b.typ)
	})
	var parts []string
	for i := 0; i < len(keys); {
		j := i
		var types []string
		for ; j < len(keys) && keys[j].kind == keys[i].kind; j++ {
			types = append(types, keys[j].typ)
		}
		parts = append(parts, string(keys[i].kind)+" "+andList(types))
		i = j
	}
	return strings.Join(parts, " and ")
}

// reaches tells whether segs is a path into payloads of type t, to a value
// or to a group of fields.
func reaches(segs []string, t reflect.Type) bool {
	_, ok := walkPath(segs, t)
	return ok && len(segs) > 0
}

// andList joins words as "a", "a and b", "a, b and c".
func andList(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}

// jsonPathIndex is a list index or a member in brackets, as JSONPath and
// JavaScript write them: [0], [*], ["email"], ['email'].
var jsonPathIndex = regexp.MustCompile(`\[\s*(?:(\d+|\*)|"([^"]*)"|'([^']*)')\s*\]`)

// pathSyntaxHint gives path as syncd writes it, when it was written in
// another syntax (JSONPath's $.a.b and a[0], a["b"], a/b, a dot left at
// an end) and so written it is a path into payloads of type t (nil: any);
// "" otherwise.
func pathSyntaxHint(path string, t reflect.Type) string {
	p := strings.TrimPrefix(strings.TrimSpace(path), "$")
	p = jsonPathIndex.ReplaceAllStringFunc(p, func(m string) string {
		sub := jsonPathIndex.FindStringSubmatch(m)
		switch {
		case sub[1] == "*":
			return ".#"
		case sub[1] != "":
			return "." + sub[1]
		}
		return "." + sub[2] + sub[3]
	})
	p = strings.Trim(strings.ReplaceAll(p, "/", "."), ".")
	if p == path || p == "" || checkPath(p, t) != "" {
		return ""
	}
	return " (a path is field names joined by dots: write " + p + ")"
}
