package hubspot

import (
	"bytes"
	"encoding/json"
	"strings"
	"unicode/utf8"

	"github.com/tidwall/gjson"

	"github.com/syncd-dev/syncd/internal/crm"
)

// decodeBatch reads a batch answer as crm.DecodeJSON into a batchAnswer
// would, without reflection, walking it with gjson. What the walk does not
// expect (invalid JSON or UTF-8, a field of another type, a field given
// twice) is left to crm.DecodeJSON, so such an answer, and its error, are
// exactly what they were.
func decodeBatch(resp *crm.Response) (batchAnswer, error) {
	if ans, ok := readBatch(resp.Body); ok {
		return ans, nil
	}
	var ans batchAnswer
	err := crm.DecodeJSON(resp, &ans)
	return ans, err
}

// maxNesting is encoding/json's limit of nested arrays and objects. A body
// with more brackets than that is left to it, which also keeps gjson's
// recursive walk shallow.
const maxNesting = 10000

// readBatch reads a batch answer; ok is false for anything it leaves to
// encoding/json.
func readBatch(body []byte) (ans batchAnswer, ok bool) {
	if bytes.Count(body, []byte{'{'})+bytes.Count(body, []byte{'['}) > maxNesting ||
		!utf8.Valid(body) || !gjson.ValidBytes(body) {
		return batchAnswer{}, false
	}
	root := gjson.ParseBytes(body)
	if !root.IsObject() {
		return batchAnswer{}, false
	}
	ok = eachField(root, func(seen *fields, k string, v gjson.Result) (ok bool) {
		switch {
		case seen.first(k, "status"):
			ans.Status, ok = readString(v)
		case seen.first(k, "results"):
			ans.Results, ok = readArray(v, readObject)
		case seen.first(k, "errors"):
			ans.Errors, ok = readArray(v, readError)
		default:
			ok = !seen.twice
		}
		return ok
	})
	return ans, ok
}

// eachField calls read with each field of the JSON object v, until read
// says no; it reports whether every field was read. A null is an object
// without fields (encoding/json leaves a struct alone for null); any other
// value is not read.
func eachField(v gjson.Result, read func(seen *fields, k string, v gjson.Result) bool) bool {
	if v.Type == gjson.Null {
		return true
	}
	if !v.IsObject() {
		return false
	}
	var seen fields
	ok := true
	v.ForEach(func(k, v gjson.Result) bool {
		ok = read(&seen, k.Str, v)
		return ok
	})
	return ok
}

// fields tracks which fields of one JSON object were read, matching names
// as encoding/json does (case-insensitively); twice is set when a field
// comes again, which readBatch leaves to encoding/json.
type fields struct {
	names [5]string // a batch answer's objects have at most 5 fields read
	n     int
	twice bool
}

// first reports whether key names field and is its first occurrence.
func (f *fields) first(key, field string) bool {
	if !strings.EqualFold(key, field) {
		return false
	}
	for _, n := range f.names[:f.n] {
		if n == field {
			f.twice = true
			return false
		}
	}
	f.names[f.n] = field
	f.n++
	return true
}

// readObject reads one result of a batch answer.
func readObject(v gjson.Result) (o object, ok bool) {
	ok = eachField(v, func(seen *fields, k string, v gjson.Result) (ok bool) {
		switch {
		case seen.first(k, "id"):
			o.ID, ok = readString(v)
		case seen.first(k, "properties"):
			o.Properties, ok = readMap(v, readString)
		case seen.first(k, "objectWriteTraceId"):
			o.TraceID, ok = readString(v)
		default:
			ok = !seen.twice
		}
		return ok
	})
	return o, ok
}

// readError reads one error of a batch answer.
func readError(v gjson.Result) (e batchError, ok bool) {
	ok = eachField(v, func(seen *fields, k string, v gjson.Result) (ok bool) {
		switch {
		case seen.first(k, "status"):
			e.Status, ok = readString(v)
		case seen.first(k, "category"):
			e.Category, ok = readString(v)
		case seen.first(k, "message"):
			e.Message, ok = readString(v)
		case seen.first(k, "context"):
			e.Context, ok = readMap(v, readStrings)
		case seen.first(k, "errors"):
			e.Errors, ok = json.RawMessage(v.Raw), true
		default:
			ok = !seen.twice
		}
		return ok
	})
	return e, ok
}

// readStrings reads an array of strings.
func readStrings(v gjson.Result) ([]string, bool) {
	return readArray(v, readString)
}

// readArray reads a JSON array, or null as nil, with read for each element.
func readArray[T any](v gjson.Result, read func(gjson.Result) (T, bool)) ([]T, bool) {
	if v.Type == gjson.Null {
		return nil, true
	}
	if !v.IsArray() {
		return nil, false
	}
	out := []T{} // encoding/json makes [] an empty slice, not nil
	ok := true
	v.ForEach(func(_, e gjson.Result) bool {
		var x T
		x, ok = read(e)
		out = append(out, x)
		return ok
	})
	return out, ok
}

// readMap reads a JSON object, or null as nil, with read for each value;
// a name given twice keeps its last value, as with encoding/json.
func readMap[T any](v gjson.Result, read func(gjson.Result) (T, bool)) (map[string]T, bool) {
	if v.Type == gjson.Null {
		return nil, true
	}
	if !v.IsObject() {
		return nil, false
	}
	out := make(map[string]T, strings.Count(v.Raw, `":`)) // about its size, without growing
	ok := true
	v.ForEach(func(k, e gjson.Result) bool {
		var x T
		x, ok = read(e)
		out[k.Str] = x
		return ok
	})
	return out, ok
}

// readString reads a JSON string, or null as "" (encoding/json leaves a
// string alone for null).
func readString(v gjson.Result) (string, bool) {
	switch v.Type {
	case gjson.String:
		return v.Str, true
	case gjson.Null:
		return "", true
	}
	return "", false
}
