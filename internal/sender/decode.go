package sender

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/tidwall/gjson"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// Decoded is what the receiver learns from a body.
type Decoded struct {
	Type    string            // the kind's type field; "" when absent
	Key     string            // idempotency key
	Payload []byte            // standard JSON when it differs from the body; nil otherwise
	Parse   syncd.ParseStatus // strict or lenient
	// Reason is set when the body did not parse (or nests too deep to
	// parse safely): it goes to the quarantine, and Key is the SHA-256 of
	// the raw bytes.
	Reason string
	// Code names Reason's kind in a word, for metrics: one of the
	// Quarantine* constants.
	Code string
	// Unrecognised is set when the body parsed but does not have its
	// kind's shape (a misrouted sender, most likely): it is stored as an
	// event that needs attention rather than mapped.
	Unrecognised string
}

// Decode reads a body sent to a source of kind: the byte-order mark
// dropped, nesting depth checked without recursion (no deeper than
// maxDepth, DefaultMaxDepth when 0), strict JSON first, then the lenient
// pass for comments and trailing commas; of a member given twice in one
// object only the last copy is kept (see twice.go). body is never changed.
//
// It runs on every request, so it makes no map of the document: gjson reads
// the fields it needs.
func Decode(kind syncd.Kind, body []byte, maxDepth int) Decoded {
	if maxDepth <= 0 {
		maxDepth = DefaultMaxDepth
	}
	doc, lenient, err := parse(body, maxDepth)
	if err != nil {
		return quarantined(body, err)
	}
	if !isObject(doc) {
		return quarantined(body, errNotObject)
	}
	d := Decoded{Parse: syncd.ParseStrict}
	if lenient {
		d.Payload, d.Parse = doc, syncd.ParseLenient
	}
	s := For(kind)
	if s == nil {
		d.Key, d.Unrecognised = "sha256:"+sum(Canonical(doc)), fmt.Sprintf("unknown sender kind %q", kind)
		return d
	}
	d.Type, d.Unrecognised = s.shape(doc)
	d.Key = s.Key(doc, d.Type)
	if d.Unrecognised != "" {
		// Never mapped, it must not take a lead's key: the lead that came
		// with its delivery id would be its duplicate, and never mapped.
		d.Key = "sha256:" + sum(Canonical(doc))
	}
	return d
}

// Key is the idempotency key of doc (valid JSON), an event of type typ, for
// a sender of this kind. With the sender's delivery id (IDField: a
// non-empty string, or a JSON number's digits, the same id) a lead's key is
// "<kind>:<id>", as it has always been (its lead id, the CRM deal's
// identity, depends on it); an event of another type has "<kind>.<type>:<id>",
// since the sender does not say its ids are unique across types, and a lead
// sharing a submission's id must not be a duplicate of it. A type that does
// not look like a type name, or no id, gives "sha256:<hex>" of doc's
// Canonical form, and so does a body Decode finds unrecognised (typ "").
func (s *Spec) Key(doc []byte, typ string) string {
	if s.IDField != "" {
		if id, ok := deliveryID(gjson.GetBytes(doc, escape(s.IDField))); ok {
			switch {
			case slices.Contains(s.Leads, typ):
				return string(s.Kind) + ":" + id
			case safeType.MatchString(typ):
				return string(s.Kind) + "." + typ + ":" + id
			}
		}
	}
	return "sha256:" + sum(Canonical(doc))
}

// deliveryID is a sender's delivery id as the key holds it: a string of
// at most maxIDLen bytes without a control character, not blank, or the
// digits of a whole number sent for one. A lead's key is its deal's lead
// id, which the mappings also write as a property, without control
// characters: one in the key would be another lead id than the CRM holds.
func deliveryID(v gjson.Result) (string, bool) {
	switch v.Type {
	case gjson.String:
		return v.Str, !blank(v.Str) && len(v.Str) <= maxIDLen && strings.IndexFunc(v.Str, unicode.IsControl) < 0
	case gjson.Number:
		return v.Raw, v.Raw != "" && len(v.Raw) <= maxIDLen && strings.Trim(v.Raw, "0123456789") == ""
	}
	return "", false
}

// blank reports whether s shows nothing: it is empty, or white space and
// characters no one sees (syncd.Unseen: a zero-width space) alone. Such an
// id names no submission: a sender that gave it to every lead made every
// lead after the first a changed delivery of it, kept in the quarantine
// and never sent to the CRM.
func blank(s string) bool {
	return strings.TrimFunc(s, func(r rune) bool { return unicode.IsSpace(r) || syncd.Unseen(r) }) == ""
}

// maxIDLen is the longest delivery id a key is made of (Estate Agent
// Feeds' are 23 to 26 digits). A longer one, or one holding a NUL
// (\u0000, valid in JSON), is no id: the body's hash keys the delivery
// instead. PostgreSQL's text refuses a NUL, and its index a key
// of kilobytes, so such a delivery was answered 503 at every retry and
// lost.
const maxIDLen = 256

// hasNUL reports whether s holds a NUL, which no id or type name does and
// PostgreSQL's text cannot hold.
func hasNUL(s string) bool { return strings.IndexByte(s, 0) >= 0 }

// shape reads the type and checks that doc looks like the kind's bodies:
// it has the type field, and not another kind's. why is "" when it does.
func (s *Spec) shape(doc []byte) (typ, why string) {
	t := gjson.GetBytes(doc, escape(s.TypeField))
	if t.Type == gjson.String && !hasNUL(t.Str) {
		typ = s.documentedType(t.Str)
	}
	for _, o := range specs {
		if o != s && o.TypeField != s.TypeField && gjson.GetBytes(doc, escape(o.TypeField)).Exists() {
			return typ, fmt.Sprintf("looks like %s %s body (it has %s), not %s: posted to the wrong source?", article(string(o.Kind)), o.Kind, o.TypeField, s.Kind)
		}
	}
	if typ == "" {
		return typ, fmt.Sprintf("%s: not a body of kind %s", typeFieldIs(s.TypeField, t), s.Kind)
	}
	return typ, ""
}

// typeFieldIs says what a type field that names no type holds: missing,
// empty, or a value of another JSON type (never the value itself, which
// may be personal data).
func typeFieldIs(field string, t gjson.Result) string {
	what := ""
	switch {
	case !t.Exists():
		return "no " + field
	case t.Type == gjson.String && t.Str == "":
		return field + " is empty"
	case t.Type == gjson.String:
		return field + " holds a NUL, not a type name"
	case t.Type == gjson.Number:
		what = "a number"
	case t.IsObject():
		what = "an object"
	case t.IsArray():
		what = "an array"
	default: // null, true, false
		what = t.Raw
	}
	return field + " is " + what + ", not a type name"
}

// article is "an" before a word that starts with a vowel ("an eaf body"),
// else "a".
func article(word string) string {
	if word != "" && strings.ContainsRune("aeiou", rune(word[0])) {
		return "an"
	}
	return "a"
}

// escape makes a top-level field name a gjson path.
func escape(field string) string { return gjson.Escape(field) }

// What a quarantined body is, in a word (Decoded.Code).
const (
	QuarantineInvalidJSON = "invalid_json"
	QuarantineNotUTF8     = "not_utf8"
	QuarantineTooDeep     = "too_deep"
	QuarantineNotObject   = "not_object"
	// QuarantineCompressed is a body sent compressed (gzip, deflate),
	// which the receiver does not decode; it tells it by the request.
	QuarantineCompressed = "compressed"
)

func quarantined(body []byte, err error) Decoded {
	code := QuarantineInvalidJSON
	switch {
	case errors.As(err, new(errTooDeep)):
		code = QuarantineTooDeep
	case errors.As(err, new(errNotUTF8)):
		code = QuarantineNotUTF8
	case errors.Is(err, errNotObject):
		code = QuarantineNotObject
	}
	return Decoded{Key: QuarantineKey(body), Reason: err.Error(), Code: code}
}

// QuarantineKey is the key of body kept in the quarantine: "sha256:<hex>"
// of its bytes as received.
func QuarantineKey(body []byte) string { return "sha256:" + sum(body) }

// errNotObject: syncd's senders send one JSON object per delivery.
var errNotObject = errors.New("body is not a JSON object")

// isObject reports whether valid JSON doc is an object.
func isObject(doc []byte) bool {
	doc = bytes.TrimLeft(doc, " \t\r\n")
	return len(doc) > 0 && doc[0] == '{'
}

func sum(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// ChangedReason is the quarantine reason of the body of a delivery of kind
// that gave stored event id's delivery id (IDField) again with another
// body: the event keeps its first body, this one is kept for a person.
func ChangedReason(kind syncd.Kind, id int64) string {
	return fmt.Sprintf("changed: sent again with the %s of event %d and another body"+changedAdvice+", "+
		"as mapped, and syncd sends none of this one: if it corrects it, correct the CRM by hand, then mark it done with "+
		"`syncd events repair` and this body's id (no copy needed)", idField(kind), id, id)
}

// changedAdvice starts the part of ChangedReason that says what to do.
const changedAdvice = "; event %d keeps its first body"

// ChangedWhat is what a changed delivery's stored reason (ChangedReason)
// says it is, without what to do with it, which is no advice once the body
// waits no more (repaired, dismissed, erased); ok is false for any other
// reason.
func ChangedWhat(reason string) (what string, ok bool) {
	if !strings.HasPrefix(reason, "changed: ") {
		return "", false
	}
	advice, _, _ := strings.Cut(changedAdvice, "%d")
	what, _, ok = strings.Cut(reason, advice)
	return what, ok
}

// ReplacedReason is the quarantine reason of the first body of stored
// event id, which came to nothing in the CRM (unmappable or ignored) and
// took the body of a later delivery of kind with the same delivery id
// (IDField).
func ReplacedReason(kind syncd.Kind, id int64) string {
	return fmt.Sprintf("replaced: the first body of event %d, which came to nothing in the CRM (unmappable or ignored), "+
		"replaced by a later delivery with the same %s and another body; event %d is mapped anew from that one",
		id, idField(kind), id)
}

// idField names the field whose value is kind's delivery id, for messages.
func idField(kind syncd.Kind) string {
	if s := For(kind); s != nil && s.IDField != "" {
		return s.IDField
	}
	return "delivery id"
}
