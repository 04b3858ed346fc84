package syncd

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strconv"
	"unicode/utf8"
)

// StoredProps returns op's properties as the outbox keeps them, and their
// hash, the outbox's rule of uniqueness:
//
//   - props is a JSON object of the properties, names sorted: byte for
//     byte what encoding/json writes for the map (an empty map, or nil,
//     is "{}");
//   - hash is the hex SHA-256 over kind, key, contact key and the sorted
//     names and values, each field written as "len:value;" so that no two
//     different operations share an input. The same record with the same
//     values is enqueued only once, in either store, and a copied outbox
//     keeps its uniqueness.
//
// The mapper calls it for every operation it writes, so it sorts the names
// once for both and uses no reflection.
func (op Op) StoredProps() (props, hash string) {
	names := op.sortedNames()
	size := 2
	for _, n := range names {
		size += len(n) + len(op.Properties[n]) + 6
	}
	js := make([]byte, 0, size+size/8)
	js = append(js, '{')
	for i, n := range names {
		if i > 0 {
			js = append(js, ',')
		}
		js = appendJSONString(js, n)
		js = append(js, ':')
		js = appendJSONString(js, op.Properties[n])
	}
	js = append(js, '}')
	return string(js), op.hashOf(names, size+32)
}

// PropsHash is the hash StoredProps returns, alone.
func (op Op) PropsHash() string {
	names := op.sortedNames()
	size := 0
	for _, n := range names {
		size += len(n) + len(op.Properties[n]) + 12
	}
	return op.hashOf(names, size+32)
}

func (op Op) sortedNames() []string {
	names := make([]string, 0, len(op.Properties))
	for n := range op.Properties {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// hashOf hashes op's fields with names as the properties' order; size is
// a guess of the input's length.
func (op Op) hashOf(names []string, size int) string {
	in := make([]byte, 0, size+len(op.Kind)+len(op.Key)+len(op.ContactKey)+24)
	field := func(s string) {
		in = append(strconv.AppendInt(in, int64(len(s)), 10), ':')
		in = append(append(in, s...), ';')
	}
	field(string(op.Kind))
	field(op.Key)
	field(op.ContactKey)
	for _, n := range names {
		field(n)
		field(op.Properties[n])
	}
	sum := sha256.Sum256(in)
	return hex.EncodeToString(sum[:])
}

// appendJSONString writes s as encoding/json does by default: quotes,
// backslashes and control characters escaped (\b, \f, \n, \r and \t by
// name), <, > and & as \u003c, \u003e and \u0026, U+2028 and U+2029
// escaped, and each byte of invalid UTF-8 as \ufffd.
func appendJSONString(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		if b := s[i]; b < utf8.RuneSelf {
			if b >= 0x20 && b != '"' && b != '\\' && b != '<' && b != '>' && b != '&' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch b {
			case '\\', '"':
				dst = append(dst, '\\', b)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hex[b>>4], hex[b&0xF])
			}
			i++
			start = i
			continue
		}
		c, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case c == utf8.RuneError && size == 1:
			dst = append(append(dst, s[start:i]...), `\ufffd`...)
		case c == '\u2028' || c == '\u2029':
			dst = append(append(dst, s[start:i]...), '\\', 'u', '2', '0', '2', hex[c&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
