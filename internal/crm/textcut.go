package crm

import "unicode/utf16"

// Cut fits v into at most most characters, counted as UTF-16 units (an
// emoji is two), so that it fits however a CRM counts characters (code
// points or UTF-16 units): a longer v is cut, never inside a character,
// and ends with mark, which tells whoever reads it in the CRM that there
// was more. It reports whether it cut.
func Cut(v string, most int, mark string) (string, bool) {
	if len(v) <= most || utf16Len(v) <= most { // a UTF-16 unit takes at least one byte
		return v, false
	}
	return truncUTF16(v, most-utf16Len(mark)) + mark, true
}

// utf16Len is the length of s in UTF-16 units.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// truncUTF16 is the longest prefix of s of at most n UTF-16 units.
func truncUTF16(s string, n int) string {
	for i, r := range s {
		if n -= utf16.RuneLen(r); n < 0 {
			return s[:i]
		}
	}
	return s
}
