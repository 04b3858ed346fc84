package sender

import (
	"bytes"
	"slices"

	"github.com/tidwall/gjson"
)

// A member given twice in one object ({"name":"A","name":"B"}) is valid
// JSON whose meaning RFC 8259 leaves open, and syncd's readers differed:
// the mapping's paths took the first copy, its expressions and the report
// the last or the first not empty, so one contact could get the email of
// one copy and the name of the other. scan (json.go) finds such a member
// in the pass that checks the depth, and parse keeps only the last copy in
// the payload every reader reads, as encoding/json and JavaScript's
// JSON.parse do; the body is stored as received.

// keySpan is where a member's name is in a document, without its quotes.
type keySpan struct{ from, to int }

// stringEnd is the index of the quote that ends the string whose opening
// quote is at doc[start], or len(doc) when none does.
func stringEnd(doc []byte, start int) int {
	i := start + 1
	for {
		q := bytes.IndexByte(doc[i:], '"')
		if q < 0 {
			return len(doc)
		}
		q += i
		n := 0
		for n < q-start-1 && doc[q-1-n] == '\\' {
			n++
		}
		if n%2 == 0 {
			return q
		}
		i = q + 1
	}
}

// repeats reports whether two of one object's member names are the same.
// It may reorder keys.
func repeats(doc []byte, keys []keySpan) bool {
	name := func(k keySpan) []byte { return doc[k.from:k.to] }
	if len(keys) <= 16 {
		for i := 1; i < len(keys); i++ {
			for j := range i {
				if bytes.Equal(name(keys[i]), name(keys[j])) {
					return true
				}
			}
		}
		return false
	}
	slices.SortFunc(keys, func(a, b keySpan) int { return bytes.Compare(name(a), name(b)) })
	for i := 1; i < len(keys); i++ {
		if bytes.Equal(name(keys[i]), name(keys[i-1])) {
			return true
		}
	}
	return false
}

// twiceDecoded reports whether valid JSON v gives a member twice in one
// of its objects, comparing names decoded: "n\u0061me" is "name". It recurses, but only on documents whose depth scan has
// bounded.
func twiceDecoded(v gjson.Result) bool {
	twice := false
	switch {
	case v.IsObject():
		seen := map[string]bool{}
		v.ForEach(func(k, val gjson.Result) bool {
			twice = seen[k.Str] || twiceDecoded(val)
			seen[k.Str] = true
			return !twice
		})
	case v.IsArray():
		v.ForEach(func(_, val gjson.Result) bool {
			twice = twiceDecoded(val)
			return !twice
		})
	}
	return twice
}

// lastCopies writes v with only the last copy of each member of its
// objects, where that copy is, names decoded and written again in one way
// and values as they are; no white space between tokens. It recurses, but
// only on documents whose depth scan has bounded.
func lastCopies(out []byte, v gjson.Result) []byte {
	switch {
	case v.IsObject():
		var ms []member
		v.ForEach(func(k, val gjson.Result) bool { ms = append(ms, member{k.Str, val.Raw}); return true })
		last := make(map[string]int, len(ms))
		for i, m := range ms {
			last[m.key] = i
		}
		out = append(out, '{')
		first := true
		for i, m := range ms {
			if last[m.key] != i {
				continue
			}
			if !first {
				out = append(out, ',')
			}
			first = false
			out = append(appendString(out, m.key), ':')
			out = lastCopies(out, gjson.Parse(m.raw))
		}
		return append(out, '}')
	case v.IsArray():
		out = append(out, '[')
		first := true
		v.ForEach(func(_, val gjson.Result) bool {
			if !first {
				out = append(out, ',')
			}
			first = false
			out = lastCopies(out, val)
			return true
		})
		return append(out, ']')
	}
	return append(out, v.Raw...)
}
