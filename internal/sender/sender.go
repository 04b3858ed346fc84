// Package sender is the one home of what each kind of sender looks like:
// its type and id fields, how a delivery's idempotency key is made, the
// shape a body of the kind must have, which of its events are leads,
// portal submissions or feed imports, and the name the report shows. It
// also holds the decoder every body goes through (depth check, strict JSON,
// lenient pass) and syncd's one canonical JSON form.
//
// Adding a portal is one new file here declaring its Spec (with how the
// report reads its bodies and the struct types of its bodies for mapping),
// plus its fixtures under testdata/webhooks and its mapping.
package sender

import (
	"reflect"
	"regexp"
	"slices"
	"strings"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// Spec describes one sender kind.
type Spec struct {
	Kind syncd.Kind
	// Name is how the report and messages name the sender.
	Name string
	// Country is the phone region mapping assumes for numbers without a
	// country code, unless the source sets default_country.
	Country string
	// TypeField is the top-level field naming the event type; a body of
	// the kind without it (as a non-empty string) is unrecognised.
	TypeField string
	// IDField, when set, is a top-level field the sender fills with a
	// stable delivery id: the idempotency key is "<kind>:<id>". Without one
	// the key is "sha256:<hex>" of the body's Canonical form.
	IDField string
	// Types are the event types the sender documents; an event of another
	// type is stored all the same, and listed as a new event type.
	Types []string
	// Leads are the types that are leads (the report's Leads sheet).
	Leads []string
	// Submissions are portal submission results (Portal failures sheet).
	Submissions []string
	// Imports are feed import results (Feed imports sheet).
	Imports []string

	// Portals name the portals the sender reports on, by the ids its
	// bodies use, as people know them.
	Portals map[string]string
	// Lead reads a lead's body (one of Leads) for the report.
	Lead func(body []byte) Lead
	// Submission reads a portal submission's body (one of Submissions).
	Submission func(body []byte) Submission
	// Import reads a feed import's body (one of Imports).
	Import func(body []byte) Import
	// Payloads are the documented types' bodies as structs whose expr tags
	// are the JSON names, each with a Meta field tagged syncd: mapping
	// checks the fields its expressions use against them at load time.
	// A type without one can have rules; its fields are not checked.
	Payloads map[string]reflect.Type
}

// Retries is what the senders document of their retries of a delivery
// not answered with success, as operators are told it where deliveries
// may have been missed (the report's and syncd status's times syncd did not
// receive): Lokalebasen gives no intervals (only "exponential back-off",
// "subject to change"), so none is claimed for it.
const Retries = "Estate Agent Feeds tries twice more, 30 minutes apart; Lokalebasen up to 20 times, how far apart it does not say"

// specs are the kinds syncd serves, one file each.
var specs = []*Spec{&lokalebasen, &eaf}

// For returns the spec of kind, or nil when syncd has no such kind.
func For(kind syncd.Kind) *Spec {
	for _, s := range specs {
		if s.Kind == kind {
			return s
		}
	}
	return nil
}

// All returns every spec, in a fixed order.
func All() []Spec {
	out := make([]Spec, len(specs))
	for i, s := range specs {
		out[i] = *s
	}
	return out
}

// Kinds names every kind, in a fixed order (for messages and validation).
func Kinds() []string {
	out := make([]string, len(specs))
	for i, s := range specs {
		out[i] = string(s.Kind)
	}
	return out
}

// Known reports whether typ is one of the sender's documented types.
func (s *Spec) Known(typ string) bool { return slices.Contains(s.Types, typ) }

// documentedType is the documented type typ names when written in
// another case or with white space around it ("Email_Lead", "email_lead
// "), else typ as it is. Senders document their types in lower case, but
// a sender's template or a relay may write one otherwise: such a lead was
// stored as a type of its own, which no rule maps, and never reached the
// CRM. A type spelt otherwise ("email-lead") is still a new one, and said
// so.
func (s *Spec) documentedType(typ string) string {
	if s.Known(typ) {
		return typ
	}
	trimmed := strings.TrimSpace(typ)
	for _, t := range s.Types {
		if strings.EqualFold(t, trimmed) {
			return t
		}
	}
	return typ
}

// DocumentedType is the documented type of kind that typ names, written
// in another case or with white space around it, as Decode reads it now;
// else typ as it is. An older syncd stored such a type as it came
// ("Email_Lead"): the stores' migration rewrites those with this, and the
// mapper reads a type with it still, for those an instance on such a
// syncd stores during a rolling upgrade on PostgreSQL.
func DocumentedType(kind syncd.Kind, typ string) string {
	if s := For(kind); s != nil {
		return s.documentedType(typ)
	}
	return typ
}

// IsLead reports whether an event of kind and typ is a lead (typ read as
// DocumentedType reads it).
func IsLead(kind syncd.Kind, typ string) bool {
	s := For(kind)
	return s != nil && slices.Contains(s.Leads, s.documentedType(typ))
}

// safeType is what an event type a sender made up must look like to be
// logged: short snake case. Anything else (an email address in the type
// field, say) is logged as "(other)".
var safeType = regexp.MustCompile(`^[a-z][a-z0-9_]{0,63}$`)

// LogType is typ as it may appear in a log line: a documented type, or one
// that looks like a type name; personal data never gets through.
func LogType(typ string) string {
	for _, s := range specs {
		if s.Known(typ) {
			return typ
		}
	}
	if safeType.MatchString(typ) {
		return typ
	}
	if typ == "" {
		return ""
	}
	return "(other)"
}
