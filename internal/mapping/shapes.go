package mapping

import (
	"fmt"
	"slices"
	"strings"

	"github.com/tidwall/gjson"
)

// oddShapes are the payload's values, by path ("payload.client.name"),
// whose shape is not the one their sender documents (an object or a list
// where text is, a list where one object is), and what syncd did with
// each: what the properties that read them are told. nil until one is
// found, so a lead of the documented shapes costs nothing.
type oddShapes map[string]string

func (o *oddShapes) add(path, what string) {
	if *o == nil {
		*o = oddShapes{}
	}
	(*o)[path] = path + " " + what
}

// objectNotText and listNotText say what syncd makes of a value of another shape
// than the documented one.
const (
	objectNotText = "is an object where text is expected: left out, not written as JSON text"
	listNotText   = "is a list holding objects or lists where text is expected: left out, not written as JSON text"
)

// oneOfList is the object r when r is a list where one object is
// expected: its first element, noted in odd when the list has more than
// one; ok is false when r is no list or its first element no object.
func oneOfList(r gjson.Result, path string, odd *oddShapes) (gjson.Result, bool) {
	if !r.IsArray() {
		return r, false
	}
	first := r.Get("0")
	if !first.IsObject() {
		return r, false
	}
	if n := r.Get("#").Int(); n > 1 {
		odd.add(path, fmt.Sprintf("is a list of %d where one object is expected: the first is read, the others left out", n))
	}
	return first, true
}

// textOf is r as text where text is expected: a list of texts or numbers
// joined by ", " (as a "#" path gives them), an object or a list holding
// one left out ("") and noted in odd under path. Numbers are as the
// sender wrote them; why says why one cannot be sent.
func textOf(r gjson.Result, path string, odd *oddShapes) (s, why string) {
	switch {
	case r.IsObject():
		odd.add(path, objectNotText)
		return "", ""
	case r.IsArray():
		nested := false
		r.ForEach(func(_, e gjson.Result) bool {
			nested = e.IsObject() || e.IsArray()
			return !nested
		})
		if nested {
			odd.add(path, listNotText)
			return "", ""
		}
	}
	return pathString(r, path)
}

// getPath is the value at a plain dotted path in root ("payload.client.email")
// read as gjson does, or, when that finds nothing and a field on the way is
// a list where one object is expected, read through its first element
// (oneOfList). Paths with gjson's operators (#, *, ?, |, @, escapes) are
// read as gjson reads them.
func getPath(root gjson.Result, path string, odd *oddShapes) gjson.Result {
	r := root.Get(path)
	if r.Exists() || strings.ContainsAny(path, "#*?|@\\") {
		return r
	}
	cur := root
	rest := path
	for rest != "" {
		name, tail, _ := strings.Cut(rest, ".")
		if first, ok := oneOfList(cur, strings.TrimSuffix(path[:len(path)-len(rest)], "."), odd); ok {
			cur = first
		}
		cur = cur.Get(name)
		if !cur.Exists() {
			return cur
		}
		rest = tail
	}
	return cur
}

// noteOdd notes, once, what was done with the value at path or at a field
// on its way, when its shape was not the documented one.
func (m *run) noteOdd(path string) {
	if len(m.odd) == 0 {
		return
	}
	for i := range len(path) + 1 {
		if i == len(path) || path[i] == '.' {
			if what, ok := m.odd[path[:i]]; ok {
				m.note(what)
			}
		}
	}
}

// note adds what to the notes of the lead, once.
func (m *run) note(what string) {
	if !slices.Contains(m.notes, what) {
		m.notes = append(m.notes, what)
	}
}
