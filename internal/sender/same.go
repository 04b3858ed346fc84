package sender

import "bytes"

// SameDocument reports whether two JSON documents (valid JSON, as Decode
// leaves them: a body's standard copy, or the strict body itself) say the
// same: equal bytes, or equal in Canonical form (members in another order,
// other white space or escapes).
func SameDocument(a, b []byte) bool {
	return bytes.Equal(a, b) || bytes.Equal(Canonical(a), Canonical(b))
}
