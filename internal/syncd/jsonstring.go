package syncd

import (
	"math/bits"
	"slices"
	"unicode/utf8"
)

const hexDigits = "0123456789abcdef"

// AppendJSONString appends s as a JSON string, byte for byte as
// encoding/json writes it by default: quotes, backslashes and control
// characters escaped (\b, \f, \n, \r and \t by name), <, > and & as
// \u003c, \u003e and \u0026, U+2028 and U+2029 escaped, and each byte of
// invalid UTF-8 as \ufffd. Runs of plain ASCII are skipped 8 bytes at a
// time; a word that is not plain is skipped to its first byte that is not,
// and its bytes from there are read one by one: the outbox and the CRM
// adapters write every lead's properties with it.
func AppendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		end := len(s)
		if i+8 <= len(s) {
			bad := notPlain(s[i : i+8])
			if bad == 0 {
				i += 8
				continue
			}
			end = i + 8
			i += bits.TrailingZeros64(bad) / 8
		}
		for i < end {
			c := s[i]
			if c < utf8.RuneSelf {
				if needsEscape(c) {
					b = appendEscaped(append(b, s[start:i]...), c)
					start = i + 1
				}
				i++
				continue
			}
			if c >= 0xC2 && c < 0xE0 && i+1 < len(s) && s[i+1]&0xC0 == 0x80 {
				i += 2 // a valid 2-byte rune: none of them is escaped
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
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// Masks for notPlain: a byte of each value in each of the 8 bytes.
const (
	wordOnes  = 0x0101010101010101
	wordHighs = 0x8080808080808080
)

// notPlain tests the 8 bytes of w at once for ASCII that needs no escape:
// the high bit of a byte is set in its result if the byte is not ASCII
// (x), below 0x20 (the subtraction borrows) or equal to one of "\<>&
// (zeroByte). A set bit may be false only above a true one, so the lowest
// set bit is that of w's first byte that is not plain, and 0 means all are.
func notPlain(w string) uint64 {
	_ = w[7]
	x := uint64(w[0]) | uint64(w[1])<<8 | uint64(w[2])<<16 | uint64(w[3])<<24 |
		uint64(w[4])<<32 | uint64(w[5])<<40 | uint64(w[6])<<48 | uint64(w[7])<<56
	bad := x | (x-wordOnes*0x20)&^x | zeroByte(x^(wordOnes*'"')) | zeroByte(x^(wordOnes*'\\')) |
		zeroByte(x^(wordOnes*'<')) | zeroByte(x^(wordOnes*'>')) | zeroByte(x^(wordOnes*'&'))
	return bad & wordHighs
}

// zeroByte sets the high bit of a zero byte of y (and maybe of bytes above it).
func zeroByte(y uint64) uint64 { return (y - wordOnes) &^ y }

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

// AppendJSONObject appends props as a JSON object of strings, its names in
// the order of names (props' names; sorted, the bytes are encoding/json's).
func AppendJSONObject(b []byte, names []string, props map[string]string) []byte {
	b = append(b, '{')
	for i, n := range names {
		if i > 0 {
			b = append(b, ',')
		}
		b = AppendJSONString(b, n)
		b = append(b, ':')
		b = AppendJSONString(b, props[n])
	}
	return append(b, '}')
}

// SortedNames returns m's names sorted, in buf's memory when it has room.
func SortedNames(m map[string]string, buf []string) []string {
	buf = buf[:0]
	for n := range m {
		buf = append(buf, n)
	}
	slices.Sort(buf)
	return buf
}
