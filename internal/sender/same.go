package sender

import (
	"bytes"

	"github.com/tidwall/gjson"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// SameDocument reports whether two JSON documents (valid JSON, as Decode
// leaves them: a body's standard copy, or the strict body itself) say the
// same: equal bytes, or equal in Canonical form (members in another order,
// other white space or escapes).
func SameDocument(a, b []byte) bool {
	return bytes.Equal(a, b) || bytes.Equal(Canonical(a), Canonical(b))
}

// SameDelivery is SameDocument for two documents of one delivery of kind,
// which also takes its delivery id (IDField) given as a whole number for
// the string of its digits: Key makes them one key, the same id, so a
// retry that wrote the id the other way says nothing else.
func SameDelivery(kind syncd.Kind, a, b []byte) bool {
	if SameDocument(a, b) {
		return true
	}
	s := For(kind)
	if s == nil || s.IDField == "" {
		return false
	}
	a, na := idAsString(a, s.IDField)
	b, nb := idAsString(b, s.IDField)
	return (na || nb) && SameDocument(a, b)
}

// idAsString is doc with its top-level field's value, a number that is a
// delivery id, written as the string of its digits; changed says whether
// it was one.
func idAsString(doc []byte, field string) (out []byte, changed bool) {
	v := gjson.GetBytes(doc, escape(field))
	id, ok := deliveryID(v)
	end := v.Index + len(v.Raw)
	if v.Type != gjson.Number || !ok || v.Index <= 0 || end > len(doc) || string(doc[v.Index:end]) != v.Raw {
		return doc, false // not a number id, or not where gjson says: left as it is
	}
	out = make([]byte, 0, len(doc)+2)
	out = append(appendString(append(out, doc[:v.Index]...), id), doc[end:]...)
	return out, true
}
