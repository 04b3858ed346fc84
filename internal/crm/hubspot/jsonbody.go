package hubspot

import (
	"github.com/syncd-dev/syncd/internal/syncd"
)

// The request bodies of the batch calls are written here byte for byte as
// encoding/json would write them (same field order, property names sorted,
// strings escaped by syncd.AppendJSONString), without its reflection and
// map sorting: batch upserts run for every lead.

// upsertBody is the body of a batch upsert: {"inputs":[...]}.
func upsertBody(inputs []input) []byte {
	b := make([]byte, 0, upsertSize(inputs))
	b = append(b, `{"inputs":[`...)
	var keys []string
	if len(inputs) > 0 {
		keys = make([]string, 0, len(inputs[0].Properties))
	}
	for i, in := range inputs {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"id":`...)
		b = syncd.AppendJSONString(b, in.ID)
		b = append(b, `,"idProperty":`...)
		b = syncd.AppendJSONString(b, in.IDProperty)
		b = append(b, `,"properties":`...)
		b, keys = appendProps(b, in.Properties, keys)
		if in.TraceID != "" {
			b = append(b, `,"objectWriteTraceId":`...)
			b = syncd.AppendJSONString(b, in.TraceID)
		}
		b = append(b, '}')
	}
	return append(b, "]}"...)
}

// upsertSize is about the length of upsertBody(inputs), so that it is
// written without growing unless many of its bytes need escapes.
func upsertSize(inputs []input) int {
	n := 16
	for _, in := range inputs {
		n += len(in.ID) + len(in.IDProperty) + len(in.TraceID) + 64
		for k, v := range in.Properties {
			n += len(k) + len(v) + 6
		}
	}
	return n + n/8
}

// appendProps appends props as a JSON object, names sorted (nil as null);
// keys is a buffer for the names, returned for reuse. When it holds the
// sorted names of the record before and props has just those names (the
// records of a batch mostly have), they are not gathered and sorted again.
func appendProps(b []byte, props map[string]string, keys []string) ([]byte, []string) {
	if props == nil {
		return append(b, "null"...), keys
	}
	if len(keys) == len(props) && len(keys) > 0 {
		mark := len(b)
		b = append(b, '{')
		for i, n := range keys {
			v, ok := props[n]
			if !ok {
				b = b[:mark]
				break
			}
			if i > 0 {
				b = append(b, ',')
			}
			b = syncd.AppendJSONString(b, n)
			b = append(b, ':')
			b = syncd.AppendJSONString(b, v)
		}
		if len(b) > mark {
			return append(b, '}'), keys
		}
	}
	keys = syncd.SortedNames(props, keys)
	return syncd.AppendJSONObject(b, keys, props), keys
}

// associateBody is the body of a batch association:
// {"inputs":[{"from":{"id":...},"to":{"id":...}},...]}.
func associateBody(inputs []assocInput) []byte {
	b := make([]byte, 0, 16+len(inputs)*48)
	b = append(b, `{"inputs":[`...)
	for i, in := range inputs {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"from":{"id":`...)
		b = syncd.AppendJSONString(b, in.From.ID)
		b = append(b, `},"to":{"id":`...)
		b = syncd.AppendJSONString(b, in.To.ID)
		b = append(b, "}}"...)
	}
	return append(b, "]}"...)
}

// readBody is the body of a batch read of ids by idProp, asking for idProp
// and the properties also named:
// {"idProperty":...,"inputs":[{"id":...},...],"properties":[...]}.
func readBody(idProp string, inputs []input, also ...string) []byte {
	b := make([]byte, 0, 64+len(inputs)*32)
	b = append(b, `{"idProperty":`...)
	b = syncd.AppendJSONString(b, idProp)
	b = append(b, `,"inputs":[`...)
	for i, in := range inputs {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"id":`...)
		b = syncd.AppendJSONString(b, in.ID)
		b = append(b, '}')
	}
	b = append(b, `],"properties":[`...)
	b = syncd.AppendJSONString(b, idProp)
	for _, p := range also {
		b = append(b, ',')
		b = syncd.AppendJSONString(b, p)
	}
	return append(b, "]}"...)
}
