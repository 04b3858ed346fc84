package hubspot

import (
	"slices"
	"unicode/utf8"
)

// The request bodies of the batch calls are written here byte for byte as
// encoding/json would write them (same field order, property names sorted,
// same string escaping), without its reflection and map sorting: batch
// upserts run for every lead.

// upsertBody is the body of a batch upsert: {"inputs":[...]}.
func upsertBody(inputs []input) []byte {
	b := make([]byte, 0, 64+len(inputs)*256)
	b = append(b, `{"inputs":[`...)
	var keys []string
	for i, in := range inputs {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"id":`...)
		b = appendString(b, in.ID)
		b = append(b, `,"idProperty":`...)
		b = appendString(b, in.IDProperty)
		b = append(b, `,"properties":`...)
		b, keys = appendProps(b, in.Properties, keys)
		if in.TraceID != "" {
			b = append(b, `,"objectWriteTraceId":`...)
			b = appendString(b, in.TraceID)
		}
		b = append(b, '}')
	}
	return append(b, "]}"...)
}

// appendProps appends props as a JSON object, names sorted; keys is a
// buffer for the names, returned for reuse.
func appendProps(b []byte, props map[string]string, keys []string) ([]byte, []string) {
	if props == nil {
		return append(b, "null"...), keys
	}
	keys = keys[:0]
	for k := range props {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	b = append(b, '{')
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, k)
		b = append(b, ':')
		b = appendString(b, props[k])
	}
	return append(b, '}'), keys
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
		b = appendString(b, in.From.ID)
		b = append(b, `},"to":{"id":`...)
		b = appendString(b, in.To.ID)
		b = append(b, "}}"...)
	}
	return append(b, "]}"...)
}

// readBody is the body of a batch read of ids by idProp, asking for idProp
// only: {"idProperty":...,"inputs":[{"id":...},...],"properties":[...]}.
func readBody(idProp string, inputs []input) []byte {
	b := make([]byte, 0, 64+len(inputs)*32)
	b = append(b, `{"idProperty":`...)
	b = appendString(b, idProp)
	b = append(b, `,"inputs":[`...)
	for i, in := range inputs {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"id":`...)
		b = appendString(b, in.ID)
		b = append(b, '}')
	}
	b = append(b, `],"properties":[`...)
	b = appendString(b, idProp)
	return append(b, "]}"...)
}

const hexDigits = "0123456789abcdef"

// appendString appends s as a JSON string escaped as encoding/json does:
// quote, backslash and control bytes; <, > and & (HTML-safe); U+2028 and
// U+2029; each byte of invalid UTF-8 as \ufffd.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if i+8 <= len(s) && plainWord(s[i:i+8]) {
			i += 8
			continue
		}
		if c := s[i]; c < utf8.RuneSelf {
			if !needsEscape(c) {
				i++
				continue
			}
			b = appendEscaped(append(b, s[start:i]...), c)
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(append(b, s[start:i]...), `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(append(b, s[start:i]...), '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// Masks for plainWord: a byte of each value in each of the 8 bytes.
const (
	ones  = 0x0101010101010101
	highs = 0x8080808080808080
)

// plainWord reports whether the 8 bytes of w are all ASCII that needs no
// escape, testing them at once: the high bit of a byte ends up set in bad
// if it is not ASCII (x), below 0x20 (the subtraction borrows) or equal to
// one of "\<>& (zeroByte). A set bit may be false only above a true one,
// so a word is never taken for plain wrongly.
func plainWord(w string) bool {
	_ = w[7]
	x := uint64(w[0]) | uint64(w[1])<<8 | uint64(w[2])<<16 | uint64(w[3])<<24 |
		uint64(w[4])<<32 | uint64(w[5])<<40 | uint64(w[6])<<48 | uint64(w[7])<<56
	bad := x | (x-ones*0x20)&^x | zeroByte(x^(ones*'"')) | zeroByte(x^(ones*'\\')) |
		zeroByte(x^(ones*'<')) | zeroByte(x^(ones*'>')) | zeroByte(x^(ones*'&'))
	return bad&highs == 0
}

// zeroByte sets the high bit of a zero byte of y (and maybe of bytes above it).
func zeroByte(y uint64) uint64 { return (y - ones) &^ y }

// needsEscape reports whether encoding/json escapes the ASCII byte c.
func needsEscape(c byte) bool {
	return c < 0x20 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&'
}

// appendEscaped appends the escape of the ASCII byte c.
func appendEscaped(b []byte, c byte) []byte {
	switch c {
	case '\\', '"':
		return append(b, '\\', c)
	case '\b':
		return append(b, '\\', 'b')
	case '\f':
		return append(b, '\\', 'f')
	case '\n':
		return append(b, '\\', 'n')
	case '\r':
		return append(b, '\\', 'r')
	case '\t':
		return append(b, '\\', 't')
	}
	return append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
}
