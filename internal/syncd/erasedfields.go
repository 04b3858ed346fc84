package syncd

import (
	"regexp"
	"strconv"
	"strings"
)

// An event keeps, past its erasure, its type and idempotency key beside
// its times: the type for the counts, the key so that a delivery retried
// within the duplicate window is answered as a duplicate. Both come from
// the sender (event_type or eaf_type; eaf_id in a lead's key "eaf:ID"),
// which may put anything there, an address or a name: these say what an
// erased event keeps of them.

// plainType is what a type kept past an erasure looks like: short snake
// case, as the senders' types are (sender's safeType).
var plainType = regexp.MustCompile(`^[a-z][a-z0-9_]{0,63}$`)

// plainID is what the delivery id of a key kept past an erasure looks
// like: letters, digits, '.', '_' and '-' (Estate Agent Feeds' ids are
// digits), never '@', '+', a space or another character of an address,
// a phone number or a name.
var plainID = regexp.MustCompile(`^[A-Za-z0-9._-]{1,256}$`)

// ErasedType is what an erased event keeps of its type t: t when it is a
// type name that does not mention the person m matches, else "" (as for
// a body that names no type).
func ErasedType(t string, m *Matcher) string {
	if !plainType.MatchString(t) || m.Match([]byte(t)) {
		return ""
	}
	return t
}

// ErasedKey is what erased event id keeps of its idempotency key: the key
// when it is a body's hash, or a delivery id that is plain and does not
// mention the person m matches; else "erased:ID", which names the event
// and no one (a delivery of that id retried later is stored again, as a
// new one: its sender's id no longer is in the database).
func ErasedKey(key string, id int64, m *Matcher) string {
	if !KeyNames(key, m) && (ownKey(key) || plainID.MatchString(keyID(key))) {
		return key
	}
	return "erased:" + strconv.FormatInt(id, 10)
}

// KeyNames reports whether the idempotency key names the person m
// matches in the sender's delivery id it holds (a body's hash never
// does: its hex digits are not searched for a phone number).
func KeyNames(key string, m *Matcher) bool {
	if ownKey(key) {
		return false
	}
	return m.Match([]byte(keyID(key)))
}

// FieldsName reports whether the type or the idempotency key of an event
// of kind k name the person m matches: a sender's fields, found even once
// the body is gone (erased for another person, purged). The rows syncd
// makes itself (a restore's, an erasure's) hold no sender's field.
func FieldsName(k Kind, typ, key string, m *Matcher) bool {
	return SendersFields(k) && (m.Match([]byte(typ)) || KeyNames(key, m))
}

// SendersFields says whether the type and key of an event of kind k are
// a sender's: not those of a row syncd makes itself, a restore's or an
// erasure's (whose key DropErasureIDs reads), which an erasure leaves.
func SendersFields(k Kind) bool { return k != KindRestore && k != KindErasure }

// DeliveryID is the sender's delivery id the idempotency key holds
// ("KIND:ID", "KIND.TYPE:ID": eaf_id), what export shows of the key; ""
// for a key made of the body's hash, or none of the sender's.
func DeliveryID(key string) string {
	if ownKey(key) || strings.HasPrefix(key, "restore:") {
		return ""
	}
	return keyID(key)
}

// ownKey reports whether key is one syncd made, holding no sender's id:
// a body's hash, or what an erasure or the retention purge left of a key
// that was not plain.
func ownKey(key string) bool {
	return strings.HasPrefix(key, "sha256:") || strings.HasPrefix(key, "erased:") || strings.HasPrefix(key, "purged:")
}

// keyID is the delivery id in key "KIND:ID" or "KIND.TYPE:ID"; a key
// without a kind is all id.
func keyID(key string) string {
	if _, id, ok := strings.Cut(key, ":"); ok {
		return id
	}
	return key
}
